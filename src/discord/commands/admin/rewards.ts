/** Role and currency rewards: add, delete, list (roles the bot cannot manage are flagged). */
import { defineCommand, type AnyCommand } from '../types.js';
import { changeRules, ok, oldPath, requireGuild, switchSetting } from './shared.js';
import { usage } from '../registry.js';
import type { RoleQueueSummary } from '../../../storage/role-queue.js';
import { UserError } from '../errors.js';
import { fitLines, LIMITS } from '../../limits.js';

const roleReward = defineCommand({
  path: ['unicornia', 'rewards', 'role'],
  aliases: [oldPath('rolereward')],
  description: 'Give (or take away) a role when members reach a level',
  options: [
    { name: 'level', type: 'integer', required: true, description: 'Level 1–10000', min: 1, max: 10_000 },
    { name: 'role', type: 'role', required: true, description: 'The role' },
    { name: 'action', type: 'string', description: 'give (default), remove (take it away at that level) or delete (drop this reward)', choices: ['give', 'remove', 'delete'] },
  ] as const,
  example: { level: 10, role: '@Regular' },
  permission: 'admin',
  async handler(ctx, { level, role, action }) {
    const mode = action ?? 'give';
    // A reward that can never apply is refused rather than saved with a warning; deleting one is always allowed.
    const problem = mode === 'delete' ? null : await ctx.roleProblem(role.id);
    if (problem && problem.permanent) throw new UserError('bad_argument', `<@&${role.id}> cannot be a reward: ${problem.reason}. Pick a role the bot can give (not @everyone, not a bot's or booster role).`);
    let changed = false;
    await changeRules(ctx, async (g) => {
      changed = await ctx.app.core.writer.xp.setRoleReward(g, level, role.id, mode === 'delete' ? null : mode === 'remove');
    });
    if (mode === 'delete') return changed ? ok(`Removed the level ${level} reward for <@&${role.id}>.`) : { content: `There was no level ${level} reward for <@&${role.id}>.` };
    const warn = problem ? `\n⚠️ But I can't manage that role yet: ${problem.reason}` : '';
    return ok(`At level ${level}, members ${mode === 'remove' ? 'lose' : 'get'} <@&${role.id}>.${warn}`);
  },
});

const roleRewards = defineCommand({
  path: ['unicornia', 'rewards', 'roles'],
  aliases: [oldPath('rolerewards')],
  description: 'List the role rewards, and role changes not applied yet',
  options: [] as const,
  example: {},
  permission: 'admin',
  async handler(ctx) {
    const guildId = requireGuild(ctx);
    const rules = ctx.app.core.engine.rules(guildId);
    const queue = queueReport(ctx.app.roleQueue.reads.summary(guildId));
    if (rules.roleRewards.length === 0) return { content: `No role rewards yet. Add one with \`${usage(roleReward as AnyCommand, ctx.prefix)}\`.${queue ? `\n\n${queue}` : ''}` };
    const lines = await Promise.all(
      rules.roleRewards.map(async (r) => {
        const problem = await ctx.roleProblem(r.roleId);
        return `Level ${r.level}: ${r.remove ? 'remove' : 'give'} <@&${r.roleId}>${problem ? ` — ⚠️ ${problem.reason}` : ''}`;
      }),
    );
    // Hundreds of rewards would pass Discord's 4 096-character description: list what fits and count the rest.
    const room = LIMITS.description - (queue ? queue.length + 2 : 0);
    const description = fitLines(lines, room);
    return { embeds: [{ title: 'Role rewards', description: queue ? `${description}\n\n${queue}` : description }] };
  },
});

const currencyReward = defineCommand({
  path: ['unicornia', 'rewards', 'currency'],
  aliases: [oldPath('currencyreward')],
  description: 'Pay currency when members reach a level (amount 0 deletes)',
  options: [
    { name: 'level', type: 'integer', required: true, description: 'Level 1–10000', min: 1, max: 10_000 },
    { name: 'amount', type: 'integer', required: true, description: 'Amount (0 deletes the reward)', min: 0, max: 1_000_000_000 },
  ] as const,
  example: { level: 5, amount: 1000 },
  permission: 'admin',
  async handler(ctx, { level, amount }) {
    let changed = false;
    await changeRules(ctx, async (g) => {
      changed = await ctx.app.core.writer.xp.setCurrencyReward(g, level, amount);
    });
    if (amount === 0) return changed ? ok(`Removed the level ${level} currency reward.`) : { content: `There was no currency reward at level ${level}.` };
    return ok(`Members reaching level ${level} get ${amount.toLocaleString('en-US')} ${ctx.app.currency.emoji}.`);
  },
});

const currencyRewards = defineCommand({
  path: ['unicornia', 'rewards', 'currencies'],
  aliases: [oldPath('currencyrewards')],
  description: 'List the currency rewards',
  options: [] as const,
  example: {},
  permission: 'admin',
  async handler(ctx) {
    const rules = ctx.app.core.engine.rules(requireGuild(ctx));
    if (rules.currencyRewards.length === 0) return { content: `No currency rewards yet. Add one with \`${usage(currencyReward as AnyCommand, ctx.prefix)}\`.` };
    const { emoji } = ctx.app.currency;
    return { embeds: [{ title: 'Currency rewards', description: fitLines(rules.currencyRewards.map((r) => `Level ${r.level}: ${r.amount.toLocaleString('en-US')} ${emoji}`), LIMITS.description) }] };
  },
});

const rejoinRoles = switchSetting(['unicornia', 'rewards', 'rejoinroles'], 'reapplyRolesOnRejoin', {
  aliases: [oldPath('rejoinroles')],
  description: 'Give role rewards back when a member rejoins',
  on: 'Members who rejoin get their reward roles back.',
  off: 'Members who rejoin no longer get reward roles back automatically.',
});

export const rewardCommands: AnyCommand[] = [roleReward, roleRewards, currencyReward, currencyRewards, rejoinRoles] as AnyCommand[];

/**
 * Role changes not applied yet (DESIGN §2.7): how many are being retried, which wait for an admin's fix and why,
 * and the latest dropped ones with their reason. Null when the queue holds nothing for the server.
 */
function queueReport(s: RoleQueueSummary): string | null {
  const lines: string[] = [];
  if (s.pending > 0) lines.push(`🔁 ${count(s.pending, 'role change')} being applied or retried after a Discord error.`);
  for (const w of s.waiting) lines.push(`⏳ ${count(w.count, 'role change')} waiting: ${w.reason}. They go through as soon as that is fixed.`);
  if (s.dropped > 0) {
    lines.push(`❌ ${count(s.dropped, 'role change')} dropped (they cannot succeed)${s.dropped > s.recentlyDropped.length ? `; the latest ${s.recentlyDropped.length}` : ''}:`);
    for (const d of s.recentlyDropped) {
      lines.push(`• <@${d.userId}>: ${d.action === 'add' ? 'give' : 'remove'} <@&${d.roleId}> — ${d.reason ?? 'unknown'} (<t:${Math.floor(d.updatedAt / 1000)}:R>)`);
    }
  }
  return lines.length ? `**Not applied yet**\n${lines.join('\n')}` : null;
}

function count(n: number, what: string): string {
  return `${n.toLocaleString('en-US')} ${what}${n === 1 ? '' : 's'}`;
}
