/** `privacy export|delete`: a member's own data, in every server (DESIGN §13). Work in DMs too. */
import { defineCommand, type AnyCommand } from '../types.js';
import { UserError } from '../errors.js';
import { askToConfirm } from '../../confirm.js';
import type { ErasureSummary } from '../../../storage/privacy-writes.js';

export const privacyExport = defineCommand({
  path: ['privacy', 'export'],
  aliases: [['privacy', 'data'], ['mydata']],
  description: 'Get a file (by DM) of everything the bot stores about you, in every server',
  options: [] as const,
  example: {},
  permission: 'everyone',
  guildOnly: false,
  async handler(ctx) {
    await ctx.defer();
    const data = await ctx.app.privacy.exportMember(ctx.user.id);
    const rows = Object.values(data.tables).reduce((n, t) => n + t.length, 0);
    const sent = await ctx.dm({
      content:
        `Here is everything I store about you (${rows.toLocaleString('en-US')} rows in ${Object.keys(data.tables).length} tables, ` +
        `XP in ${data.servers.length} server${data.servers.length === 1 ? '' : 's'}). ` +
        'The file is JSON: `servers` sums up your XP and levels, `tables` holds the rows as stored, and `onErase` says what ' +
        `\`${ctx.prefix}privacy delete\` would do with each. \`${ctx.prefix}level optout\` stops tracking in one server.`,
      files: [{ name: `unicornia-data-${ctx.user.id}.json`, data: Buffer.from(JSON.stringify(data, null, 2)) }],
    });
    if (!sent) {
      throw new UserError('invalid_state', "I couldn't send you a direct message. Allow DMs from this server's members (Privacy Settings), then run the command again.");
    }
    return { content: '📬 I sent you a direct message with your data.', ephemeral: true };
  },
});

export const privacyDelete = defineCommand({
  path: ['privacy', 'delete'],
  aliases: [['privacy', 'erase'], ['deletemydata']],
  description: 'Erase everything the bot stores about you, in every server (asks first)',
  options: [] as const,
  example: {},
  permission: 'everyone',
  guildOnly: false,
  async handler(ctx) {
    await askToConfirm(ctx, {
      question:
        '⚠️ This erases everything I store about you **in every server**: your XP and levels, reward marks, wallet, ' +
        'shop items and club memberships. Clubs you own go to one of their admins, or are disbanded if they have none. ' +
        `Your wallet's transactions stay without your name, so the server's totals still add up. This cannot be undone ` +
        `(\`${ctx.prefix}privacy export\` first if you want a copy).`,
      confirmLabel: 'Erase everything',
      cancelled: 'Nothing was erased.',
      onConfirm: async () => ({ content: erasedText(await ctx.app.privacy.eraseMember(ctx.user.id)) }),
    });
  },
});

function erasedText(s: ErasureSummary): string {
  const deleted = Object.values(s.deleted).reduce((a, b) => a + b, 0);
  const anonymised = Object.values(s.anonymised).reduce((a, b) => a + b, 0);
  const lines = [`🗑️ Done: ${deleted.toLocaleString('en-US')} rows erased${anonymised ? `, ${anonymised.toLocaleString('en-US')} kept without your name` : ''}.`];
  for (const c of s.clubsHandedOver) lines.push(`Your club **${c.name}** now belongs to <@${c.newOwnerId}>.`);
  for (const name of s.clubsDisbanded) lines.push(`Your club **${name}** had no admin to take it over, so it was disbanded.`);
  lines.push('If you keep chatting, you start again from zero.');
  return lines.join('\n');
}

export const privacyCommands: AnyCommand[] = [privacyExport as AnyCommand, privacyDelete as AnyCommand];
