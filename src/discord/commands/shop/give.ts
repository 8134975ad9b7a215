/** `xpshop give <user> <key>` (bot owner): gives a background for free, hidden ones included. */
import { defineCommand, type AnyCommand } from '../types.js';
import { usage } from '../registry.js';
import { UserError } from '../errors.js';
import { unknownKey } from './shared.js';

export const xpshopGive = defineCommand({
  path: ['xpshop', 'give'],
  description: 'Give someone a card background (bot owner)',
  options: [
    { name: 'user', type: 'user', description: 'Who gets it', required: true },
    { name: 'key', type: 'string', description: 'The background key (hidden ones too)', required: true },
  ] as const,
  example: { user: '@alice', key: 'aurora' },
  permission: 'owner',
  guildOnly: false,
  async handler(ctx, { user, key }) {
    if (user.bot) throw new UserError('bad_argument', 'Bots cannot own backgrounds.', usage(xpshopGive as AnyCommand, ctx.prefix));
    const r = await ctx.app.shop.give(user.id, key, `given by ${ctx.user.id}`);
    if (!r.ok) {
      if (r.reason === 'unknown_key') throw unknownKey(key, r.suggestion, usage(xpshopGive as AnyCommand, ctx.prefix));
      throw new UserError('invalid_state', `<@${user.id}> already owns **${r.bg.name}**.`);
    }
    return { content: `✅ Gave **${r.bg.name}** to <@${user.id}>. They can equip it with \`${ctx.prefix}xpshop use ${r.bg.key}\`.` };
  },
});
