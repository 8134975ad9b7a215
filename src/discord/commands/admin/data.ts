/** `server data export|delete|retention`: a server's data, for its admins (DESIGN §13). */
import { gzipSync } from 'node:zlib';
import { defineCommand, type AnyCommand, type ReplyFile } from '../types.js';
import { formerPath, ok, requireGuild, saveSettings } from './shared.js';
import { DEFAULT_SETTINGS } from '../../../engine/settings.js';
import { UserError } from '../errors.js';
import { askToConfirm } from '../../confirm.js';

/** Discord's attachment limit for a bot without boosts (the simulator's too). */
const ATTACHMENT_LIMIT = 10 * 1024 * 1024;

const MIB = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

/** The files as they are, or gzipped when together they pass Discord's attachment limit. */
function fitted(files: ReplyFile[]): ReplyFile[] {
  const size = (fs: ReplyFile[]) => fs.reduce((n, f) => n + f.data.length, 0);
  if (size(files) <= ATTACHMENT_LIMIT) return files;
  const zipped = files.map((f) => ({ name: `${f.name}.gz`, data: gzipSync(f.data, { level: 9 }) }));
  if (size(zipped) > ATTACHMENT_LIMIT) {
    throw new UserError('invalid_state', `This server's export is ${MIB(size(zipped))} MiB even compressed, over Discord's ${MIB(ATTACHMENT_LIMIT)} MiB limit for a message. The bot owner can copy the data from the database.`);
  }
  return zipped;
}

export const dataExport = defineCommand({
  path: ['server', 'data', 'export'],
  aliases: [formerPath('data', 'export'), ['unicornia', 'export']],
  description: "DM you this server's data: XP, levels, settings, rewards (CSV + JSON)",
  options: [] as const,
  example: {},
  permission: 'admin',
  async handler(ctx) {
    const guildId = requireGuild(ctx);
    await ctx.defer();
    const data = await ctx.app.privacy.exportGuild(guildId);
    const files = fitted([
      { name: `unicornia-${guildId}.csv`, data: Buffer.from(data.csv) },
      { name: `unicornia-${guildId}.json`, data: Buffer.from(JSON.stringify(data.json, null, 2)) },
    ]);
    const sent = await ctx.dm({
      content:
        `The data Unicornia stores about **${ctx.guildName}**: the CSV has one line per member (${data.members.toLocaleString('en-US')}: ` +
        'XP, level, admin-given XP, rewarded level, whether they left); the JSON holds every row of the server, settings and rewards included.',
      files,
    });
    if (!sent) throw new UserError('invalid_state', "I couldn't send you a direct message. Allow DMs from this server's members (Privacy Settings), then run the command again.");
    return { content: `📬 I sent you a direct message with the data of **${ctx.guildName}**.`, ephemeral: true };
  },
});

export const dataDelete = defineCommand({
  path: ['server', 'data', 'delete'],
  aliases: [formerPath('data', 'delete')],
  description: "Erase this server's data (asks first)",
  options: [] as const,
  example: {},
  permission: 'admin',
  async handler(ctx) {
    const guildId = requireGuild(ctx);
    const name = ctx.guildName ?? guildId;
    await askToConfirm(ctx, {
      question:
        `⚠️ This erases everything Unicornia stores about **${name}** (${guildId}): every member's XP, levels and reward marks here, ` +
        'the settings, exclusions, multipliers, rewards, queued role changes and the admin XP log. Members keep their wallets, ' +
        'backgrounds and clubs, which are the same in every server. This cannot be undone (`server data export` first for a copy).',
      confirmLabel: `Erase all data of ${name}`.slice(0, 80),
      cancelled: 'Nothing was erased.',
      onConfirm: async () => {
        const s = await ctx.app.privacy.eraseGuild(guildId);
        const rows = Object.values(s.deleted).reduce((a, b) => a + b, 0);
        return { content: `🗑️ Erased ${rows.toLocaleString('en-US')} rows about **${name}**. Settings are back to their defaults; members start again from zero.` };
      },
    });
  },
});

export const RETENTION_DAYS = { min: 1, max: 3650 } as const;

/** `off` or `default` (kept, the default), or whole days within RETENTION_DAYS; anything else is refused. */
export function retentionArg(value: string): number | null {
  const word = value.trim().toLowerCase();
  if (word === 'off') return null;
  if (word === 'default') return DEFAULT_SETTINGS.retentionDays;
  const days = /^\d+$/.test(word) ? Number(word) : NaN;
  if (!(days >= RETENTION_DAYS.min && days <= RETENTION_DAYS.max)) {
    throw new UserError(
      'bad_argument',
      `\`days\` must be a whole number of days from ${RETENTION_DAYS.min} to ${RETENTION_DAYS.max.toLocaleString('en-US')}, or \`off\` (keep the data of members who left), or \`default\` (off).`,
    );
  }
  return days;
}

export function describeRetention(days: number | null): string {
  return days === null ? 'off (kept)' : `erased ${days} day${days === 1 ? '' : 's'} after leaving`;
}

export const dataRetention = defineCommand({
  path: ['server', 'data', 'retention'],
  description: 'Erase the data of members who left after N days (off by default)',
  options: [{ name: 'days', type: 'string', required: true, description: `Days after leaving, ${RETENTION_DAYS.min}–${RETENTION_DAYS.max}, or off, or default (off)`, max: 10 }] as const,
  example: { days: '90' },
  permission: 'admin',
  async handler(ctx, { days }) {
    const value = retentionArg(days);
    await saveSettings(ctx, { retentionDays: value });
    if (value === null) return ok('The data of members who leave this server is kept (the default): they find their XP again if they come back.');
    return ok(
      `Members who leave this server have their XP, levels and reward marks here erased ${value} day${value === 1 ? '' : 's'} after they left ` +
        '(checked once a day). Members who come back before then keep everything; after it, they start from zero.',
    );
  },
});

export const dataCommands: AnyCommand[] = [dataExport as AnyCommand, dataDelete as AnyCommand, dataRetention as AnyCommand];
