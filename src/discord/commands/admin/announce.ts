/** Level-up announcements: where they go, whether they ping, and their text. */
import { defineCommand, type AnyCommand } from '../types.js';
import { ok, saveSettings } from './shared.js';
import { UserError } from '../errors.js';
import type { AnnounceMode, GuildSettings } from '../../../engine/settings.js';
import { TEMPLATE_PLACEHOLDERS } from '../../announcement.js';

export const announceCommands: AnyCommand[] = [
  defineCommand({
    path: ['unicornia', 'guild', 'levelupmessages'],
    description: 'Where level-ups are announced: off, channel (where they chatted), fixed (one channel) or dm',
    options: [
      { name: 'mode', type: 'string', required: true, description: 'off, channel, fixed or dm', choices: ['off', 'channel', 'fixed', 'dm'] },
      { name: 'channel', type: 'channel', description: 'The channel, for fixed' },
      { name: 'ping', type: 'boolean', description: 'Mention the member (default off)' },
    ] as const,
    permission: 'admin',
    async handler(ctx, { mode, channel, ping }) {
      const m = mode as AnnounceMode;
      if (m === 'fixed' && !channel) throw new UserError('missing_argument', 'Mode `fixed` needs a channel to announce in.', `${ctx.prefix}unicornia guild levelupmessages fixed #channel`);
      const patch: Partial<GuildSettings> = { announceMode: m };
      if (m === 'fixed' && channel) patch.announceChannelId = channel.id;
      if (ping !== undefined) patch.announcePing = ping;
      await saveSettings(ctx, patch);
      const where = { off: 'nowhere (off)', channel: 'in the channel where the member chatted', fixed: `in <#${channel?.id}>`, dm: "in the member's DMs" }[m];
      return ok(`Level-ups are announced ${where}${ping ? ', mentioning the member' : ''}.`);
    },
  }),
  defineCommand({
    path: ['unicornia', 'guild', 'levelupmessage'],
    description: `Level-up text with ${TEMPLATE_PLACEHOLDERS.join(' ')}; "default" resets it`,
    options: [{ name: 'template', type: 'string', required: true, description: 'The message, or "default"', rest: true, max: 1500 }] as const,
    permission: 'admin',
    async handler(ctx, { template }) {
      const reset = template.trim().toLowerCase() === 'default';
      await saveSettings(ctx, { announceTemplate: reset ? null : template });
      return ok(reset ? 'Level-up announcements use the default text again.' : 'Level-up announcement text saved.');
    },
  }),
];
