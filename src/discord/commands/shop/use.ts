/** `xpshop use <key>`: equips an owned background (`default` goes back to the free one). */
import { defineCommand, type AnyCommand } from '../types.js';
import { usage } from '../registry.js';
import { UserError } from '../errors.js';
import { unknownKey } from './shared.js';

export const xpshopUse = defineCommand({
  path: ['xpshop', 'use'],
  aliases: [['xpshop', 'equip']],
  description: 'Equip a card background you own',
  options: [{ name: 'key', type: 'string', description: 'The background key, e.g. aurora (default = the free one)', required: true }] as const,
  example: { key: 'aurora' },
  permission: 'everyone',
  guildOnly: false,
  async handler(ctx, { key }) {
    const r = await ctx.app.shop.use(ctx.user.id, key);
    if (!r.ok) {
      if (r.reason === 'unknown_key') throw unknownKey(key, r.suggestion, usage(xpshopUse as AnyCommand, ctx.prefix));
      throw new UserError('invalid_state', `You don't own **${r.bg.name}**. Buy it with \`${ctx.prefix}xpshop buy ${r.bg.key}\`.`);
    }
    return { content: r.changed ? `✅ **${r.bg.name}** is now your card background.` : `**${r.bg.name}** is already your card background.` };
  },
});
