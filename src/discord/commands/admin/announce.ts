/** Level-up announcements: where they go, whether they ping, and their text. */
import { defineCommand, type AnyCommand } from '../types.js';
import { ok, oldPath, saveSettings } from './shared.js';
import { UserError } from '../errors.js';
import type { AnnounceMode, GuildSettings } from '../../../engine/settings.js';
import { PLACEHOLDER_MAX_LENGTH, TEMPLATE_MAX_FILLED, TEMPLATE_PLACEHOLDERS, fillTemplate, worstCaseLength } from '../../announcement.js';
import { SLASH, shown } from '../registry.js';
import type { LevelUpEffect } from '../../../engine/ports.js';

/** A made-up level-up to show an admin what their template looks like. */
const SAMPLE: LevelUpEffect = { guildId: '0', userId: '0', oldLevel: 4, newLevel: 5, channelId: null, source: 'message', rolesToAdd: [], rolesToRemove: [], currencyPaid: 0, totalXp: 270 };

const levelupWhere = defineCommand({
  path: ['unicornia', 'levelup', 'where'],
  aliases: [oldPath('levelupmessages')],
  description: 'Where level-ups are announced: off, channel (where they chatted), fixed (one channel) or dm',
  options: [
    { name: 'mode', type: 'string', required: true, description: 'off, channel, fixed or dm', choices: ['off', 'channel', 'fixed', 'dm'] },
    { name: 'channel', type: 'channel', description: 'The channel, for fixed' },
    { name: 'ping', type: 'boolean', description: 'Mention the member (default off)' },
  ] as const,
  example: { mode: 'fixed', channel: '#level-ups', ping: false },
  permission: 'admin',
  async handler(ctx, { mode, channel, ping }) {
    const m = mode as AnnounceMode;
    const path = ctx.prefix + levelupWhere.path.join(' ');
    const use = ctx.prefix === SLASH ? `${path} mode:fixed channel:#channel` : `${path} fixed #channel`;
    if (m === 'fixed' && !channel) throw new UserError('missing_argument', 'Mode `fixed` needs a channel to announce in.', use);
    if (m === 'fixed' && channel && channel.kind !== 'text' && channel.kind !== 'thread') {
      throw new UserError('bad_argument', `<#${channel.id}> is a ${channel.kind === 'category' ? 'category' : `${channel.kind} channel`}; level-ups need a text channel.`, use);
    }
    if (m !== 'fixed' && channel) throw new UserError('bad_argument', `A channel only goes with mode \`fixed\`; mode \`${m}\` does not use one.`, use);
    const patch: Partial<GuildSettings> = { announceMode: m };
    if (channel) patch.announceChannelId = channel.id;
    if (ping !== undefined) patch.announcePing = ping;
    await saveSettings(ctx, patch);
    if (m === 'off') return ok('Level-ups are not announced. Rewards still apply.');
    const where = { channel: 'in the channel where the member chatted (voice level-ups: the voice channel)', fixed: `in <#${channel?.id}>`, dm: "in the member's DMs" }[m];
    const pings = ctx.app.core.engine.rules(ctx.guildId!).settings.announcePing;
    return ok(`Level-ups are announced ${where}, ${pings ? 'mentioning the member' : 'without pinging anyone'}.`);
  },
});

const levelupMessage = defineCommand({
  path: ['unicornia', 'levelup', 'message'],
  aliases: [oldPath('levelupmessage')],
  description: `Level-up text with ${TEMPLATE_PLACEHOLDERS.join(' ')}; "default" resets it`,
  options: [{ name: 'template', type: 'string', required: true, description: 'The message, or "default"', rest: true, max: 1500 }] as const,
  example: { template: 'GG {user}, you reached level {level}!' },
  permission: 'admin',
  async handler(ctx, { template }) {
    const text = template.trim();
    if (!text) throw new UserError('bad_argument', 'The text is empty. Write the announcement, or `default` to go back to the default text.');
    if (text.toLowerCase() === 'default') {
      await saveSettings(ctx, { announceTemplate: null });
      return ok('Level-up announcements use the default text again.');
    }
    const unknown = [...new Set(text.match(/\{[^{}\s]+\}/g) ?? [])].filter((p) => !(TEMPLATE_PLACEHOLDERS as readonly string[]).includes(p));
    if (unknown.length) {
      throw new UserError('bad_argument', `Unknown placeholder${unknown.length > 1 ? 's' : ''} ${unknown.map((p) => `\`${shown(p, 20)}\``).join(', ')}. Use ${TEMPLATE_PLACEHOLDERS.map((p) => `\`${p}\``).join(' ')}.`);
    }
    const worst = worstCaseLength(text);
    if (worst > TEMPLATE_MAX_FILLED) {
      throw new UserError(
        'bad_argument',
        `Filled in, this text can reach ${worst.toLocaleString('en-US')} characters (${Object.entries(PLACEHOLDER_MAX_LENGTH).map(([p, n]) => `\`${p}\` up to ${n}`).join(', ')}); ` +
          `Discord allows 2 000 per message, so keep it to ${TEMPLATE_MAX_FILLED.toLocaleString('en-US')} at the longest. Use fewer or shorter placeholders.`,
      );
    }
    await saveSettings(ctx, { announceTemplate: text });
    return ok(`Level-up announcement text saved. Example: ${fillTemplate({ effect: { ...SAMPLE, userId: ctx.user.id }, template: text, displayName: ctx.user.displayName, guildName: ctx.guildName ?? 'this server', currencyEmoji: ctx.app.currency.emoji })}`);
  },
});

export const announceCommands: AnyCommand[] = [levelupWhere, levelupMessage] as AnyCommand[];
