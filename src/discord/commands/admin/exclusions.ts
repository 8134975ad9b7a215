/** Excluding channels (and categories, threads' parents), roles and users from XP, and listing exclusions. */
import { defineCommand, type AnyCommand } from '../types.js';
import { changeRules, ok, oldPath, requireGuild } from './shared.js';
import { UserError } from '../errors.js';
import { channelRateLines } from './channels.js';
import { fitLines, LIMITS } from '../../limits.js';
import type { ExclusionType } from '../../../engine/settings.js';

const MENTION: Record<ExclusionType, (id: string) => string> = {
  channel: (id) => `<#${id}>`,
  role: (id) => `<@&${id}>`,
  user: (id) => `<@${id}>`,
};

const EXAMPLE: Record<ExclusionType, string> = { channel: '#spam', role: '@Muted', user: '@alice' };

/** add<kind> / remove<kind> (version 1: exclude<kind> / include<kind>): the six commands share one shape. */
function exclusionCommand(kind: ExclusionType, exclude: boolean): AnyCommand {
  const what = kind === 'channel' ? 'channel or category' : kind;
  return defineCommand({
    path: ['unicornia', 'exclusions', `${exclude ? 'add' : 'remove'}${kind}`],
    aliases: [oldPath(`${exclude ? 'exclude' : 'include'}${kind}`)],
    description: exclude ? `Stop XP gain for a ${what}` : `Let a ${what} earn XP again`,
    options: [{ name: kind, type: kind, required: true, description: `The ${what}` }] as const,
    example: { [kind]: EXAMPLE[kind] },
    permission: 'admin',
    async handler(ctx, args) {
      const target = (args as Record<string, { id: string; bot?: boolean }>)[kind]!;
      // Excluding a bot would be saved and shown, yet change nothing: bots never earn XP.
      if (exclude && target.bot) throw new UserError('bad_argument', `<@${target.id}> is a bot, and bots never earn XP: there is nothing to exclude.`);
      let changed = false;
      await changeRules(ctx, async (g) => {
        changed = await ctx.app.core.writer.xp.setExcluded(g, kind, target.id, exclude);
      });
      const name = MENTION[kind](target.id);
      if (!changed) return { content: exclude ? `${name} is already excluded.` : `${name} was not excluded.` };
      return ok(exclude ? `${name} no longer earns XP.` : `${name} earns XP again.`);
    },
  });
}

export const exclusionCommands: AnyCommand[] = [
  ...(['channel', 'role', 'user'] as const).flatMap((k) => [exclusionCommand(k, true), exclusionCommand(k, false)]),
  defineCommand({
    path: ['unicornia', 'exclusions', 'list'],
    aliases: [oldPath('exclusions')],
    description: 'List what is excluded from XP',
    options: [] as const,
    example: {},
    permission: 'admin',
    async handler(ctx) {
      const rules = (await ctx.app.core.engine.rules(requireGuild(ctx)));
      // A field holds 1 024 characters: about 40 mentions. List what fits and count the rest.
      const list = (ids: ReadonlySet<string>, kind: ExclusionType) => fitLines([...ids].map(MENTION[kind]), LIMITS.fieldValue, ', ') || 'none';
      return {
        embeds: [
          {
            title: 'Excluded from XP',
            fields: [
              { name: 'Channels and categories', value: list(rules.excludedChannels, 'channel') },
              // A channel rate of 0 excludes too; the other channel rates are shown beside it so nothing surprises.
              { name: 'XP per channel (0 XP: excluded)', value: fitLines(channelRateLines(rules), LIMITS.fieldValue, '\n') || 'none' },
              { name: 'Roles', value: list(rules.excludedRoles, 'role') },
              { name: 'Users', value: list(rules.excludedUsers, 'user') },
            ],
          },
        ],
      };
    },
  }),
];
