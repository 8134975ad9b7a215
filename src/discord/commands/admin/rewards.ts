/** Role and currency rewards: add, delete, list (roles the bot cannot manage are flagged). */
import { defineCommand, type AnyCommand } from '../types.js';
import { changeRules, formerPath, ok, oldPath, requireGuild, saveSettings, switchSetting } from './shared.js';
import { DEFAULT_SETTINGS, type RewardMode } from '../../../engine/settings.js';
import { usage } from '../registry.js';
import type { RoleQueueSummary } from '../../../storage/role-queue.js';
import { UserError } from '../errors.js';
import { fitLines, LIMITS } from '../../limits.js';
import { ReplyProgress } from '../../progress.js';

const roleReward = defineCommand({
  path: ['rewards', 'role'],
  aliases: [formerPath('rewards', 'role'), oldPath('rolereward')],
  description: 'Give (or take away) a role when members reach a level',
  options: [
    { name: 'level', type: 'integer', required: true, description: 'Level 1–10000', min: 1, max: 10_000 },
    { name: 'role', type: 'role', required: true, description: 'The role' },
    { name: 'action', type: 'string', description: 'give (default), remove (take it away at that level) or delete (drop this reward)', choices: ['give', 'remove', 'delete'] },
    { name: 'mode', type: 'string', description: "stack (kept above), replace (only the highest stays) or default (the server's)", choices: ['stack', 'replace', 'default'] },
  ] as const,
  example: { level: 10, role: '@Regular', action: 'give', mode: 'replace' },
  permission: 'admin',
  async handler(ctx, { level, role, action, mode: rewardMode }) {
    const mode = action ?? 'give';
    // A reward that can never apply is refused rather than saved with a warning; deleting one is always allowed.
    const problem = mode === 'delete' ? null : await ctx.roleProblem(role.id);
    if (problem && problem.permanent) throw new UserError('bad_argument', `<@&${role.id}> cannot be a reward: ${problem.reason}. Pick a role the bot can give (not @everyone, not a bot's or booster role).`);
    let changed = false;
    await changeRules(ctx, async (g) => {
      const own = rewardMode === undefined ? undefined : rewardMode === 'default' ? null : (rewardMode as RewardMode);
      changed = await ctx.app.core.writer.xp.setRoleReward(g, level, role.id, mode === 'delete' ? null : mode === 'remove', own);
    });
    if (mode === 'delete') return changed ? ok(`Removed the level ${level} reward for <@&${role.id}>.`) : { content: `There was no level ${level} reward for <@&${role.id}>.` };
    const warn = problem ? `\n⚠️ But I can't manage that role yet: ${problem.reason}` : '';
    const rules = await ctx.app.core.engine.rules(requireGuild(ctx));
    const saved = rules.roleRewards.find((r) => r.level === level && r.roleId === role.id);
    const how = mode === 'remove' ? '' : ` (${modeText(saved?.mode ?? null, rules.settings.rewardMode)})`;
    return ok(`At level ${level}, members ${mode === 'remove' ? 'lose' : 'get'} <@&${role.id}>${how}.${warn}`);
  },
});

const roleRewards = defineCommand({
  path: ['rewards', 'roles'],
  aliases: [formerPath('rewards', 'roles'), oldPath('rolerewards')],
  description: 'List the role rewards, and role changes not applied yet',
  options: [] as const,
  example: {},
  permission: 'admin',
  async handler(ctx) {
    const guildId = requireGuild(ctx);
    const rules = (await ctx.app.core.engine.rules(guildId));
    const queue = queueReport(await ctx.app.roleQueue.reads.summary(guildId));
    if (rules.roleRewards.length === 0) return { content: `No role rewards yet. Add one with \`${usage(roleReward as AnyCommand, ctx.prefix)}\`.${queue ? `\n\n${queue}` : ''}` };
    const lines = await Promise.all(
      rules.roleRewards.map(async (r) => {
        const problem = await ctx.roleProblem(r.roleId);
        const how = r.remove || !r.mode ? '' : ` (${r.mode})`;
        return `Level ${r.level}: ${r.remove ? 'remove' : 'give'} <@&${r.roleId}>${how}${problem ? ` — ⚠️ ${problem.reason}` : ''}`;
      }),
    );
    // Hundreds of rewards would pass Discord's 4 096-character description: list what fits and count the rest.
    const room = LIMITS.description - (queue ? queue.length + 2 : 0);
    const description = fitLines(lines, room);
    return { embeds: [{ title: `Role rewards (${rules.settings.rewardMode} mode)`, description: queue ? `${description}\n\n${queue}` : description }] };
  },
});

const currencyReward = defineCommand({
  path: ['rewards', 'currency'],
  aliases: [formerPath('rewards', 'currency'), oldPath('currencyreward')],
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
  path: ['rewards', 'currencies'],
  aliases: [formerPath('rewards', 'currencies'), oldPath('currencyrewards')],
  description: 'List the currency rewards',
  options: [] as const,
  example: {},
  permission: 'admin',
  async handler(ctx) {
    const rules = (await ctx.app.core.engine.rules(requireGuild(ctx)));
    if (rules.currencyRewards.length === 0) return { content: `No currency rewards yet. Add one with \`${usage(currencyReward as AnyCommand, ctx.prefix)}\`.` };
    const { emoji } = ctx.app.currency;
    return { embeds: [{ title: 'Currency rewards', description: fitLines(rules.currencyRewards.map((r) => `Level ${r.level}: ${r.amount.toLocaleString('en-US')} ${emoji}`), LIMITS.description) }] };
  },
});

const rejoinRoles = switchSetting(['rewards', 'rejoinroles'], 'reapplyRolesOnRejoin', {
  aliases: [formerPath('rewards', 'rejoinroles'), oldPath('rejoinroles')],
  description: 'Give role rewards back when a member rejoins',
  on: 'Members who rejoin get their reward roles back.',
  off: 'Members who rejoin no longer get reward roles back automatically.',
});

const rewardMode = defineCommand({
  path: ['rewards', 'mode'],
  aliases: [formerPath('rewards', 'mode')],
  description: 'Reward roles: stack (keep lower ones) or replace (only the highest); default: stack',
  options: [{ name: 'mode', type: 'string', required: true, description: 'stack, replace or default (stack)', choices: ['stack', 'replace', 'default'] }] as const,
  example: { mode: 'replace' },
  permission: 'admin',
  async handler(ctx, { mode }) {
    const value: RewardMode = mode === 'default' ? DEFAULT_SETTINGS.rewardMode : (mode as RewardMode);
    await saveSettings(ctx, { rewardMode: value });
    const what =
      value === 'replace'
        ? 'members keep only the reward roles of the highest level they reached'
        : 'members keep every reward role they reached';
    return ok(`Reward roles now ${value}: ${what} (rewards with their own mode keep it). Roles follow at each member's next level change.`);
  },
});

const rewardsSync = defineCommand({
  path: ['rewards', 'sync'],
  // `all` names everyone in the prefix form, as the issue's `rolerewards sync [member|all]` writes it.
  aliases: [['rewards', 'sync', 'all'], formerPath('rewards', 'sync'), formerPath('rewards', 'sync', 'all'), ['rolerewards', 'sync'], ['rolerewards', 'sync', 'all']],
  description: "Bring reward roles in line with members' levels (one member, or everyone); no currency is paid",
  options: [{ name: 'member', type: 'user', description: 'Only this member (default: everyone)' }] as const,
  example: { member: '@alice' },
  permission: 'admin',
  async handler(ctx, { member }) {
    const guildId = requireGuild(ctx);
    const { roleSync } = ctx.app;
    if ((await ctx.app.core.engine.rules(guildId)).roleRewards.length === 0) return { content: `There are no role rewards to sync. Add one with \`${usage(roleReward as AnyCommand, ctx.prefix)}\`.` };
    if (member) {
      if (member.bot) throw new UserError('bad_argument', 'Bots earn no XP and get no reward roles.');
      const r = await roleSync.member(guildId, member.id);
      if (!r) throw new UserError('bad_argument', `<@${member.id}> is not in this server.`);
      const { add, remove } = r.queued;
      if (add.length + remove.length === 0) return { content: `<@${member.id}> already has the right reward roles.` };
      const list = (ids: string[]) => ids.map((id) => `<@&${id}>`).join(', ');
      const parts = [add.length ? `give ${list(add)}` : '', remove.length ? `take ${list(remove)}` : ''].filter(Boolean).join(' and ');
      const pending = add.length + remove.length - r.added.length - r.removed.length;
      return ok(`<@${member.id}>: ${parts}.${pending > 0 ? ` ${pending} of them did not go through yet; they are retried (see \`rewards roles\`).` : ''}`);
    }
    const progress = new ReplyProgress(ctx, () => ctx.app.passes.channelProgress(ctx.channelId));
    const { started, job } = await roleSync.startAll(guildId, ctx.channelId, ctx.user.id, progress);
    if (!started) {
      const where = job ? ` (started <t:${Math.floor(job.startedAt / 1000)}:R>, ${job.checked.toLocaleString('en-US')} members checked so far)` : '';
      return { content: `A role sync is already running in this server${where}. It continues on its own, across restarts too.` };
    }
  },
});

export const rewardCommands: AnyCommand[] = [roleReward, roleRewards, currencyReward, currencyRewards, rejoinRoles, rewardMode, rewardsSync] as AnyCommand[];

/** How a reward's mode reads in lists and confirmations. */
function modeText(own: RewardMode | null, server: RewardMode): string {
  return own ?? `${server}, the server's mode`;
}

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
