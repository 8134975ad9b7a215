/** `balance [user]`: a wallet balance (global: the same in every server). Read only. */
import { defineCommand } from '../types.js';
import { money } from '../shop/shared.js';

export const balance = defineCommand({
  path: ['balance'],
  aliases: [['bal'], ['wallet', 'balance']],
  description: 'Show your (or someone\'s) currency balance',
  options: [{ name: 'user', type: 'user', description: 'Whose balance (default: yours)' }] as const,
  example: { user: '@alice' },
  permission: 'everyone',
  guildOnly: false,
  async handler(ctx, { user }) {
    const who = user ?? ctx.user;
    const amount = await ctx.app.shop.balance(who.id);
    const name = who.id === ctx.user.id ? 'You have' : `**${who.displayName}** has`;
    return { content: `${name} ${money(ctx.app, amount)} (${ctx.app.currency.name}).` };
  },
});
