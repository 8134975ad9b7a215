/** `wallet give|take <user> <amount>` (bot owner): adjusts a balance, logged in the transaction history. */
import { defineCommand, type AnyCommand } from '../types.js';
import { usage } from '../registry.js';
import { UserError } from '../errors.js';
import { money } from '../shop/shared.js';

const MAX = 1_000_000_000_000;
const options = [
  { name: 'user', type: 'user', description: 'Whose wallet', required: true },
  { name: 'amount', type: 'integer', description: 'How much (1 or more)', required: true, min: 1, max: MAX },
  { name: 'reason', type: 'string', description: 'A note for the log', rest: true, max: 200 },
] as const;

export const walletGive = defineCommand({
  path: ['wallet', 'give'],
  description: 'Give currency to someone (bot owner)',
  options,
  example: { user: '@alice', amount: 500, reason: 'event winner' },
  permission: 'owner',
  guildOnly: false,
  async handler(ctx, { user, amount, reason }) {
    if (user.bot) throw new UserError('bad_argument', 'Bots have no wallet.', usage(walletGive as AnyCommand, ctx.prefix));
    const r = await ctx.app.core.writer.wallet.adjust(user.id, amount, 'owner_give', note(ctx.user.id, reason));
    return { content: `✅ Gave ${money(ctx.app, amount)} to <@${user.id}>. Their balance: ${money(ctx.app, r.balance)}.` };
  },
});

export const walletTake = defineCommand({
  path: ['wallet', 'take'],
  description: 'Take currency from someone (bot owner)',
  options,
  example: { user: '@alice', amount: 500, reason: 'refund' },
  permission: 'owner',
  guildOnly: false,
  async handler(ctx, { user, amount, reason }) {
    if (user.bot) throw new UserError('bad_argument', 'Bots have no wallet.', usage(walletTake as AnyCommand, ctx.prefix));
    const r = await ctx.app.core.writer.wallet.adjust(user.id, -amount, 'owner_take', note(ctx.user.id, reason));
    if (!r.ok) throw new UserError('invalid_state', `<@${user.id}> has only ${money(ctx.app, r.balance)}; nothing was taken.`);
    return { content: `✅ Took ${money(ctx.app, amount)} from <@${user.id}>. Their balance: ${money(ctx.app, r.balance)}.` };
  },
});

function note(actorId: string, reason: string | undefined): string {
  return reason ? `by <@${actorId}>: ${reason}` : `by <@${actorId}>`;
}
