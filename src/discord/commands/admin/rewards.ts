/** Role and currency rewards: add, delete, list (roles the bot cannot manage are flagged). */
import { defineCommand, type AnyCommand } from '../types.js';
import { changeRules, ok, requireGuild } from './shared.js';

export const rewardCommands: AnyCommand[] = [
  defineCommand({
    path: ['unicornia', 'guild', 'rolereward'],
    description: 'Give (or take away) a role when members reach a level',
    options: [
      { name: 'level', type: 'integer', required: true, description: 'Level 1–10000', min: 1, max: 10_000 },
      { name: 'role', type: 'role', required: true, description: 'The role' },
      { name: 'action', type: 'string', description: 'give (default), remove (take it away at that level) or delete (drop this reward)', choices: ['give', 'remove', 'delete'] },
    ] as const,
    permission: 'admin',
    async handler(ctx, { level, role, action }) {
      const mode = action ?? 'give';
      let changed = false;
      await changeRules(ctx, async (g) => {
        changed = await ctx.app.core.writer.xp.setRoleReward(g, level, role.id, mode === 'delete' ? null : mode === 'remove');
      });
      if (mode === 'delete') return changed ? ok(`Removed the level ${level} reward for <@&${role.id}>.`) : { content: `There was no level ${level} reward for <@&${role.id}>.` };
      const problem = await ctx.roleProblem(role.id);
      const warn = problem ? `\n⚠️ But I can't manage that role: ${problem}` : '';
      return ok(`At level ${level}, members ${mode === 'remove' ? 'lose' : 'get'} <@&${role.id}>.${warn}`);
    },
  }),
  defineCommand({
    path: ['unicornia', 'guild', 'rolerewards'],
    description: 'List the role rewards',
    options: [] as const,
    permission: 'admin',
    async handler(ctx) {
      const rules = ctx.app.core.engine.rules(requireGuild(ctx));
      if (rules.roleRewards.length === 0) return { content: 'No role rewards yet. Add one with `rolereward <level> <role>`.' };
      const lines = await Promise.all(
        rules.roleRewards.map(async (r) => {
          const problem = await ctx.roleProblem(r.roleId);
          return `Level ${r.level}: ${r.remove ? 'remove' : 'give'} <@&${r.roleId}>${problem ? ` — ⚠️ ${problem}` : ''}`;
        }),
      );
      return { embeds: [{ title: 'Role rewards', description: lines.join('\n') }] };
    },
  }),
  defineCommand({
    path: ['unicornia', 'guild', 'currencyreward'],
    description: 'Pay currency when members reach a level (amount 0 deletes)',
    options: [
      { name: 'level', type: 'integer', required: true, description: 'Level 1–10000', min: 1, max: 10_000 },
      { name: 'amount', type: 'integer', required: true, description: 'Amount (0 deletes the reward)', min: 0, max: 1_000_000_000 },
    ] as const,
    permission: 'admin',
    async handler(ctx, { level, amount }) {
      let changed = false;
      await changeRules(ctx, async (g) => {
        changed = await ctx.app.core.writer.xp.setCurrencyReward(g, level, amount);
      });
      if (amount === 0) return changed ? ok(`Removed the level ${level} currency reward.`) : { content: `There was no currency reward at level ${level}.` };
      return ok(`Members reaching level ${level} get ${amount.toLocaleString('en-US')} ${ctx.app.currency.emoji}.`);
    },
  }),
  defineCommand({
    path: ['unicornia', 'guild', 'currencyrewards'],
    description: 'List the currency rewards',
    options: [] as const,
    permission: 'admin',
    async handler(ctx) {
      const rules = ctx.app.core.engine.rules(requireGuild(ctx));
      if (rules.currencyRewards.length === 0) return { content: 'No currency rewards yet. Add one with `currencyreward <level> <amount>`.' };
      const { emoji } = ctx.app.currency;
      return { embeds: [{ title: 'Currency rewards', description: rules.currencyRewards.map((r) => `Level ${r.level}: ${r.amount.toLocaleString('en-US')} ${emoji}`).join('\n') }] };
    },
  }),
];
