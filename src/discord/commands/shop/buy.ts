/** `xpshop buy <key>`: buys and equips a background in one transaction. */
import { defineCommand, type AnyCommand, type CommandContext } from '../types.js';
import { usage } from '../registry.js';
import { UserError } from '../errors.js';
import type { ShopBuyOutcome } from '../../../shop/shop-service.js';
import { money, unknownKey } from './shared.js';

export const xpshopBuy = defineCommand({
  path: ['xpshop', 'buy'],
  description: 'Buy a card background (it is equipped at once)',
  options: [{ name: 'key', type: 'string', description: 'The background key, e.g. aurora', required: true }] as const,
  example: { key: 'aurora' },
  permission: 'everyone',
  guildOnly: false,
  async handler(ctx, { key }) {
    const r = await ctx.app.shop.buy(ctx.user.id, key);
    if (!r.ok) {
      if (r.reason === 'unknown_key') throw unknownKey(key, r.suggestion, usage(xpshopBuy as AnyCommand, ctx.prefix));
      throw new UserError('invalid_state', buyFailure(ctx, key, r));
    }
    return { content: boughtText(ctx, r.bg!.name, r.charged, r.balance) };
  },
});

export function boughtText(ctx: CommandContext, name: string, charged: number, balance: number): string {
  const paid = charged > 0 ? ` for ${money(ctx.app, charged)}` : '';
  return `✅ Bought **${name}**${paid} and equipped it. Balance: ${money(ctx.app, balance)}.`;
}

/** The text of a refused purchase (nothing was charged). */
export function buyFailure(ctx: CommandContext, key: string, r: Exclude<ShopBuyOutcome, { ok: true }>): string {
  switch (r.reason) {
    case 'already_owned':
      return `You already own \`${key}\`. Equip it with \`${ctx.prefix}xpshop use ${key}\`.`;
    case 'insufficient_funds':
      return `You can't afford that: it costs ${money(ctx.app, r.price)} and you have ${money(ctx.app, r.balance)}. Nothing was charged.`;
    case 'not_for_sale':
      return `**${r.bg.name}** is no longer sold. People who own it can still use it.`;
    case 'unknown_key':
      return `There is no background called \`${key}\`.`;
  }
}
