/** Admin XP changes: add, set, reset. Audited (AwardedXp and the admin log) and they fire level-ups. */
import { defineCommand } from '../types.js';
import { ok, requireGuild } from './shared.js';
import { UserError } from '../errors.js';
import { levelFromXp } from '../../../levels/curve.js';

export const xpAdminCommand = defineCommand({
  path: ['unicornia', 'guild', 'xp'],
  description: "Add to, set or reset a member's XP",
  options: [
    { name: 'action', type: 'string', required: true, description: 'add, set or reset', choices: ['add', 'set', 'reset'] },
    { name: 'user', type: 'user', required: true, description: 'The member' },
    { name: 'amount', type: 'integer', description: 'XP to add (may be negative) or to set', min: -1_000_000_000, max: 1_000_000_000 },
  ] as const,
  permission: 'admin',
  async handler(ctx, { action, user, amount }) {
    const guildId = requireGuild(ctx);
    if (user.bot) throw new UserError('bad_argument', 'Bots cannot have XP.');
    if (!(await ctx.member(user.id))) throw new UserError('bad_argument', `<@${user.id}> is not a member of this server.`);
    if (action !== 'reset' && amount === undefined) {
      throw new UserError('missing_argument', `\`${action}\` needs an amount.`, `${ctx.prefix}unicornia guild xp ${action} @member <amount>`);
    }
    if (action === 'set' && amount! < 0) throw new UserError('bad_argument', 'XP cannot be set below 0.');
    const engine = ctx.app.core.engine;
    const before = engine.xpOf(guildId, user.id);
    const change = action === 'add' ? { add: amount! } : { set: action === 'set' ? amount! : 0 };
    const result = engine.adjustXp(guildId, user.id, change);
    // The XP change is made (and audited in AwardedXp by the flush); the log row is extra detail, so a failure to
    // write it is logged rather than reported as a failed command the admin would retry (adding the XP twice).
    await ctx.app.core.writer.xp
      .logAdminAction({ guildId, userId: user.id, actorId: ctx.user.id, action: action as 'add' | 'set' | 'reset', amount: result.totalXp - before, at: ctx.app.clock.wallNow() })
      .catch((error: unknown) => ctx.app.logger.warn({ err: error, guildId }, 'could not write the admin XP log row'));
    const curve = engine.rules(guildId).settings.curve;
    const notes = [
      action === 'reset' && amount !== undefined ? 'reset ignores the amount' : null,
      action === 'add' && result.totalXp - before !== amount ? `XP cannot go below 0, so ${(before - result.totalXp).toLocaleString('en-US')} were taken` : null,
      result.level !== levelFromXp(before, curve) ? 'reward roles follow the new level; level-ups pay their currency rewards' : null,
    ].filter(Boolean);
    return ok(`<@${user.id}> now has ${result.totalXp.toLocaleString('en-US')} XP (level ${levelFromXp(before, curve)} → ${result.level}).${notes.length ? ` (${notes.join('; ')})` : ''}`);
  },
});
