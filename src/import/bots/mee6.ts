/**
 * MEE6: the JSON pages of the public leaderboard (`/api/plugins/levels/leaderboard/<guild>?page=N`), one file or
 * a folder of pages. Each page carries `guild.id`, `players[]` (`id`, `xp`, `level`, `message_count`,
 * `detailed_xp` = [XP into the level, XP the level takes, total]) and `role_rewards[]` (`rank` = the level,
 * `role.id`), plus the server's `xp_rate`. MEE6's curve: level L → L + 1 costs 5L² + 50L + 100.
 */
import { z } from 'zod';
import { toSnowflake } from '../../storage/ids.js';
import { ImportError } from '../errors.js';
import { addNotImported, emptyExport, type BotSource, type InputFile } from './shape.js';
import { Count, fractionBetween, Id, isObject, member, roleRewardRows, toMilli } from './values.js';

const Player = z.object({
  id: Id,
  guild_id: Id.optional(),
  xp: Count,
  level: Count,
  message_count: Count.optional(),
  detailed_xp: z.array(Count).optional(),
});

const Page = z.object({
  guild: z.object({ id: Id }).optional(),
  players: z.array(Player),
  role_rewards: z.array(z.object({ rank: Count, role: z.object({ id: Id }) })).optional(),
  xp_rate: Count.optional(),
  xp_per_message: z.array(Count).optional(),
});

/** XP MEE6 requires to go from `level` to the next one. */
export function mee6LevelCost(level: number): number {
  return 5 * level * level + 50 * level + 100;
}

/** Total XP at which MEE6's `level` starts (sum of the costs below it, closed form). */
export function mee6LevelStart(level: number): number {
  const n = level; // Σ_{l<n} (5l² + 50l + 100)
  return (5 * (n - 1) * n * (2 * n - 1)) / 6 + 25 * (n - 1) * n + 100 * n;
}

export const mee6: BotSource = {
  name: 'mee6',
  label: 'MEE6',
  describes: 'a MEE6 leaderboard page (JSON of mee6.xyz/api/plugins/levels/leaderboard/<server id>)',
  extension: 'json',
  schema: Page,
  looksLike: (v) => isObject(v) && Array.isArray(v['players']),
  parser(ctx) {
    const out = emptyExport();
    const seenRewards = new Set<string>();
    const rates = new Map<bigint, number>();
    const perMessage = new Set<bigint>();
    let messages = 0;
    const add = (file: InputFile) => {
      const page = file.value as z.infer<typeof Page>;
      const pageGuild = page.guild ? toSnowflake(page.guild.id) : null;
      if (page.guild && pageGuild === null) throw new ImportError('not_format', `${file.name}: guild.id is not a server id.`);
      for (const p of page.players) {
        // Every player of a page names the same server: convert its id once, not once per player.
        const guildId = (p.guild_id === undefined ? null : p.guild_id === page.guild?.id ? pageGuild : toSnowflake(p.guild_id)) ?? pageGuild ?? ctx.guildId;
        if (guildId === null) throw new ImportError('needs_guild', file.name);
        const d = p.detailed_xp;
        // detailed_xp says where the member is inside the level; without it MEE6's curve does.
        const fraction =
          d && d.length >= 2 && d[1]! > 0
            ? fractionBetween(d[0]!, 0, d[1]!)
            : fractionBetween(p.xp, mee6LevelStart(p.level), mee6LevelStart(p.level) + mee6LevelCost(p.level));
        out.members.push(member(guildId, p.id, p.xp, p.level, fraction));
        if ((p.message_count ?? 0) > 0) messages++;
      }
      const guildId = pageGuild ?? ctx.guildId;
      if (guildId === null) return;
      for (const r of page.role_rewards ?? []) {
        const key = `${guildId}:${r.rank}:${String(r.role.id)}`;
        if (seenRewards.has(key)) continue; // every page repeats the server's rewards
        seenRewards.add(key);
        out.roleRewards.push(...roleRewardRows(guildId, [{ level: r.rank, roleId: r.role.id, keep: true }]));
      }
      if (page.xp_rate !== undefined) rates.set(guildId, page.xp_rate);
      if (page.xp_per_message) perMessage.add(guildId);
    };
    const finish = () => {
      for (const [guildId, rate] of rates) {
      if (rate === 1) continue;
      if (rate >= 0 && rate <= 100) out.settings.push({ guildId, patch: { rateMilli: toMilli(rate) } });
      else out.settings.push({ skip: "XP rate outside Unicornia's range 0–100" });
    }
    addNotImported(out, 'message counts (players[].message_count)', messages, 'Unicornia counts XP, not messages');
    addNotImported(
      out,
      "MEE6's XP per message (xp_per_message)",
      perMessage.size,
      "it is sized for MEE6's curve; Unicornia keeps its own (unicornia guild xppermessage)",
    );
      return out;
    };
    return { add, finish };
  },
};
