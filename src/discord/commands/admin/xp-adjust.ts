/** `unicornia xp add|set|reset`: admin XP changes. Audited (AwardedXp and the admin log) and they fire level-ups. */
import { defineCommand, type AnyCommand, type CommandContext, type ResolvedUser } from '../types.js';
import { ok, oldPath, requireGuild } from './shared.js';
import { UserError } from '../errors.js';
import { levelFromXp } from '../../../levels/curve.js';

type Action = 'add' | 'set' | 'reset';

const MAX = 1_000_000_000;

async function adjust(ctx: CommandContext, action: Action, user: ResolvedUser, amount: number): Promise<{ content: string }> {
  const guildId = requireGuild(ctx);
  if (user.bot) throw new UserError('bad_argument', 'Bots cannot have XP.');
  if (!(await ctx.member(user.id))) throw new UserError('bad_argument', `<@${user.id}> is not a member of this server.`);
  const engine = ctx.app.core.engine;
  // The member objected to being tracked here (DESIGN §13): an admin cannot store XP for them either.
  if ((await engine.rules(guildId)).optedOut.has(user.id)) throw new UserError('invalid_state', `<@${user.id}> opted out of XP in this server, so their XP cannot be changed.`);
  const change = action === 'add' ? { add: amount } : { set: amount };
  const result = await engine.adjustXp(guildId, user.id, change);
  const before = result.totalXp - result.gained;
  // The XP change is made (and audited in AwardedXp by the flush); the log row is extra detail, so a failure to
  // write it is logged rather than reported as a failed command the admin would retry (adding the XP twice).
  await ctx.app.core.writer.xp
    .logAdminAction({ guildId, userId: user.id, actorId: ctx.user.id, action, amount: result.totalXp - before, at: ctx.app.clock.wallNow() })
    .catch((error: unknown) => ctx.app.logger.warn({ err: error, guildId }, 'could not write the admin XP log row'));
  const curve = (await engine.rules(guildId)).settings.curve;
  const notes = [
    action === 'add' && result.totalXp - before !== amount ? `XP cannot go below 0, so ${(before - result.totalXp).toLocaleString('en-US')} were taken` : null,
    result.level !== levelFromXp(before, curve) ? 'reward roles follow the new level; level-ups pay their currency rewards' : null,
  ].filter(Boolean);
  return ok(`<@${user.id}> now has ${result.totalXp.toLocaleString('en-US')} XP (level ${levelFromXp(before, curve)} → ${result.level}).${notes.length ? ` (${notes.join('; ')})` : ''}`);
}

const member = { name: 'user', type: 'user', required: true, description: 'The member' } as const;

export const xpAdjustCommands: AnyCommand[] = [
  defineCommand({
    path: ['unicornia', 'xp', 'add'],
    aliases: [oldPath('xp', 'add')],
    description: "Add XP to a member (negative takes XP away); level-ups and rewards follow",
    options: [member, { name: 'amount', type: 'integer', required: true, description: 'XP to add, may be negative', min: -MAX, max: MAX }] as const,
    example: { user: '@alice', amount: 100 },
    permission: 'admin',
    handler: (ctx, { user, amount }) => adjust(ctx, 'add', user, amount),
  }),
  defineCommand({
    path: ['unicornia', 'xp', 'set'],
    aliases: [oldPath('xp', 'set')],
    description: "Set a member's XP; level-ups and rewards follow",
    options: [member, { name: 'amount', type: 'integer', required: true, description: 'The XP they will have', min: 0, max: MAX }] as const,
    example: { user: '@alice', amount: 5000 },
    permission: 'admin',
    handler: (ctx, { user, amount }) => adjust(ctx, 'set', user, amount),
  }),
  defineCommand({
    path: ['unicornia', 'xp', 'reset'],
    aliases: [oldPath('xp', 'reset')],
    description: "Reset a member's XP to 0",
    options: [member] as const,
    example: { user: '@alice' },
    permission: 'admin',
    handler: (ctx, { user }) => adjust(ctx, 'reset', user, 0),
  }),
];
