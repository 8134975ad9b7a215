/** `wallet history [user]`: the latest transactions (someone else's: bot owner only). Read only. */
import { defineCommand } from '../types.js';
import { UserError } from '../errors.js';

const TYPES: Record<string, string> = {
  level_reward: 'Level reward',
  shop_purchase: 'Shop',
  shop_gift: 'Gift',
  owner_give: 'Given by the owner',
  owner_take: 'Taken by the owner',
  nadeko_import: 'Imported from NadekoBot',
};

export const walletHistory = defineCommand({
  path: ['wallet', 'history'],
  description: 'Your latest currency transactions',
  options: [{ name: 'user', type: 'user', description: 'Whose history (bot owner only for others)' }] as const,
  example: {},
  permission: 'everyone',
  guildOnly: false,
  async handler(ctx, { user }) {
    const who = user ?? ctx.user;
    if (who.id !== ctx.user.id && !ctx.app.ownerIds.has(ctx.user.id)) throw new UserError('not_owner', "Only the bot owner can see someone else's transactions.");
    const rows = await ctx.app.shop.wallet.history(who.id, 10);
    const lines = rows.map((r) => {
      const sign = r.amount > 0 ? '+' : r.amount < 0 ? '−' : '±';
      return `\`${sign}${Math.abs(r.amount).toLocaleString('en-US')}\` ${ctx.app.currency.emoji} ${TYPES[r.type] ?? r.type}${r.note ? ` — ${r.note}` : ''} · <t:${Math.floor(r.at / 1000)}:R>`;
    });
    return {
      embeds: [{ title: `${who.displayName}'s transactions`, description: lines.length ? lines.join('\n') : 'No transactions yet.', color: 0x8b5cf6 }],
    };
  },
});
