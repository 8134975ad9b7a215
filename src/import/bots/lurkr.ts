/**
 * Lurkr: the JSON pages of its public leaderboard (`api.lurkr.gg/levels/<guild>?page=N`, what lurkr.gg/levels
 * shows), one file or a folder of pages: `guild.id`, `levels[]` (`userId`, `xp`, `level`, `messageCount`),
 * `roleRewards[]` (`level`, `roles[].id`) and `multipliers[]` (`multiplier`, `type` Channel / Role / Global,
 * `targets[]`). Lurkr's curve: reaching level L ≥ 1 takes 100 + 50·(L − 1)² XP.
 */
import { z } from 'zod';
import { toSnowflake } from '../../storage/ids.js';
import { ImportError } from '../errors.js';
import { addNotImported, emptyExport, type BotSource, type InputFile } from './shape.js';
import { Count, fractionBetween, Id, isObject, member, multiplierRows, roleRewardRows, toMilli } from './values.js';

const Target = z.union([Id, z.object({ id: Id })]);

const Page = z.object({
  guild: z.object({ id: Id }).optional(),
  levels: z.array(z.object({ userId: Id, xp: Count, level: Count, messageCount: Count.optional() })),
  roleRewards: z.array(z.object({ level: Count, roles: z.array(z.object({ id: Id })).optional(), roleIds: z.array(Id).optional() })).optional(),
  multipliers: z.array(z.object({ multiplier: Count, type: z.string(), targets: z.array(Target).optional() })).optional(),
});

/** Total XP at which Lurkr's `level` starts. */
export function lurkrLevelStart(level: number): number {
  return level <= 0 ? 0 : 100 + 50 * (level - 1) ** 2;
}

export const lurkr: BotSource = {
  name: 'lurkr',
  label: 'Lurkr',
  describes: 'a Lurkr leaderboard page (JSON of api.lurkr.gg/levels/<server id>)',
  extension: 'json',
  schema: Page,
  looksLike: (v) => isObject(v) && Array.isArray(v['levels']),
  parser(ctx) {
    const out = emptyExport();
    const seen = new Set<string>();
    let messages = 0;
    const add = (file: InputFile) => {
      const page = file.value as z.infer<typeof Page>;
      const guildId = (page.guild ? toSnowflake(page.guild.id) : null) ?? ctx.guildId;
      if (guildId === null) throw new ImportError('needs_guild', file.name);
      for (const l of page.levels) {
        const fraction = fractionBetween(l.xp, lurkrLevelStart(l.level), lurkrLevelStart(l.level + 1));
        out.members.push(member(guildId, l.userId, l.xp, l.level, fraction));
        if ((l.messageCount ?? 0) > 0) messages++;
      }
      // Every page repeats the server's rewards and multipliers: take them from the first page of each server.
      if (seen.has(String(guildId))) return;
      seen.add(String(guildId));
      for (const r of page.roleRewards ?? []) {
        const roles = [...(r.roles ?? []).map((x) => x.id), ...(r.roleIds ?? [])];
        out.roleRewards.push(...roleRewardRows(guildId, roles.map((roleId) => ({ level: r.level, roleId, keep: true }))));
      }
      for (const m of page.multipliers ?? []) {
        if (m.type === 'Global') {
          if (m.multiplier >= 0 && m.multiplier <= 100) out.settings.push({ guildId, patch: { rateMilli: toMilli(m.multiplier) } });
          else out.settings.push({ skip: "XP rate outside Unicornia's range 0–100" });
          continue;
        }
        if (m.type !== 'Channel' && m.type !== 'Role') {
          out.multipliers.push({ skip: `unknown multiplier type ${m.type}` });
          continue;
        }
        const targets = (m.targets ?? []).map((t) => ({ id: isObject(t) ? t.id : t, value: m.multiplier }));
        const rows = multiplierRows(guildId, m.type === 'Channel' ? 'channel' : 'role', targets);
        out.multipliers.push(...rows.multipliers);
        out.exclusions.push(...rows.exclusions);
      }
    };
    const finish = () => {
      addNotImported(out, 'message counts (levels[].messageCount)', messages, 'Unicornia counts XP, not messages');
      return out;
    };
    return { add, finish };
  },
};
