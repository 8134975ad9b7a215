/**
 * Polaris (GDColon/Polaris-Open): the server's "Export XP" file, `{ settings, users }`, where `users` maps each
 * user id to `{ xp, cooldown, hidden }` (Polaris' own importer also takes a bare users map). The file does not name
 * its server: `--guild` does. Polaris' curve: reaching level L takes Σ curve[k]·L^k XP, rounded to `rounding`,
 * up to `maxLevel` (defaults 1·L³ + 50·L² + 100·L, 100, 1 000).
 */
import { z } from 'zod';
import { toSnowflake } from '../../storage/ids.js';
import type { SettingsPatch } from '../../storage/xp-writes.js';
import { ImportError } from '../errors.js';
import { addNotImported, emptyExport, type BotExport, type BotSource, type InputFile } from './shape.js';
import { Count, fractionBetween, Id, isObject, member, multiplierRows, roleRewardRows } from './values.js';

const Boost = z.object({ id: Id, boost: Count });

const Settings = z.object({
  enabled: z.boolean().optional(),
  gain: z.object({ min: Count, max: Count, time: Count }).partial().optional(),
  curve: z.record(z.string(), Count).optional(),
  rounding: Count.optional(),
  maxLevel: Count.optional(),
  levelUp: z.object({ enabled: z.boolean(), channel: z.string(), message: z.string() }).partial().optional(),
  multipliers: z
    .object({ roles: z.array(Boost), channels: z.array(Boost), rolePriority: z.string(), channelStacking: z.string() })
    .partial()
    .optional(),
  rewards: z.array(z.object({ id: Id, level: Count, keep: z.boolean().optional(), noSync: z.boolean().optional() })).optional(),
});

const User = z.object({ xp: Count, cooldown: Count.optional(), hidden: z.boolean().optional() });

const Export = z.union([
  z.object({ settings: Settings.optional(), users: z.record(z.string(), User).optional() }).refine((e) => e.settings || e.users, {
    error: 'expected "settings" and "users"',
  }),
  z.record(z.string().regex(/^\d{16,20}$/), User).transform((users) => ({ settings: undefined, users })),
]);

type PolarisSettings = z.infer<typeof Settings>;

export interface PolarisCurve {
  curve: Record<string, number>;
  rounding: number;
  maxLevel: number;
}

export const POLARIS_DEFAULT_CURVE: PolarisCurve = { curve: { 3: 1, 2: 50, 1: 100 }, rounding: 100, maxLevel: 1000 };

/** XP needed to reach `level`, as Polaris computes it. */
export function polarisXpFor(level: number, c: PolarisCurve): number {
  const l = Math.min(level, c.maxLevel);
  const raw = Object.entries(c.curve).reduce((total, [power, k]) => total + k * l ** Number(power), 0);
  return c.rounding > 1 ? c.rounding * Math.round(raw / c.rounding) : Math.round(raw);
}

/** Polaris' level of `xp`: the highest level up to maxLevel whose requirement is met (binary search). */
export function polarisLevel(xp: number, c: PolarisCurve): number {
  let lo = 0;
  let hi = c.maxLevel;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (polarisXpFor(mid, c) <= xp) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export const polaris: BotSource = {
  name: 'polaris',
  label: 'Polaris',
  describes: 'a Polaris XP export (JSON with "settings" and "users")',
  extension: 'json',
  schema: Export,
  looksLike: (v) =>
    isObject(v) &&
    (isObject(v['users']) || (isObject(v['settings']) && ('gain' in v['settings'] || 'curve' in v['settings'])) || looksLikeUsersMap(v)),
  parser(ctx) {
    const out = emptyExport();
    const add = (file: InputFile) => {
      const data = file.value as z.infer<typeof Export>;
      if (ctx.guildId === null) throw new ImportError('needs_guild', `${file.name} (a Polaris export)`);
      const guildId = ctx.guildId;
      const s = data.settings;
      const curve: PolarisCurve = {
        curve: s?.curve && Object.keys(s.curve).length > 0 ? s.curve : POLARIS_DEFAULT_CURVE.curve,
        rounding: s?.rounding ?? POLARIS_DEFAULT_CURVE.rounding,
        maxLevel: s?.maxLevel ?? POLARIS_DEFAULT_CURVE.maxLevel,
      };
      let hidden = 0;
      for (const [id, u] of Object.entries(data.users ?? {})) {
        const level = polarisLevel(u.xp, curve);
        const fraction = level >= curve.maxLevel ? 0 : fractionBetween(u.xp, polarisXpFor(level, curve), polarisXpFor(level + 1, curve));
        out.members.push(member(guildId, id, u.xp, level, fraction));
        if (u.hidden) hidden++;
      }
      addNotImported(out, 'members hidden from the leaderboard (users[].hidden)', hidden, 'Unicornia hides only members who left');
      if (s) settingsOf(guildId, s, out);
    };
    return { add, finish: () => out };
  },
};

function settingsOf(guildId: bigint, s: PolarisSettings, out: BotExport): void {
  const patch: SettingsPatch = {};
  if (s.enabled !== undefined) patch.xpEnabled = s.enabled;
  const time = s.gain?.time;
  if (time !== undefined) {
    if (time >= 0 && time <= 86_400) patch.cooldownSeconds = Math.round(time);
    else out.settings.push({ skip: "cooldown above Unicornia's limit of 86400 s" });
  }
  const lu = s.levelUp;
  if (lu?.enabled === false) patch.announceMode = 'off';
  else if (lu?.channel === 'dm') patch.announceMode = 'dm';
  else if (lu?.channel === 'current') patch.announceMode = 'channel';
  else if (lu?.channel !== undefined) {
    const channel = toSnowflake(lu.channel);
    if (channel === null) out.settings.push({ skip: 'level-up channel is not a channel id' });
    else Object.assign(patch, { announceMode: 'fixed', announceChannelId: String(channel) });
  }
  if (Object.keys(patch).length > 0) out.settings.push({ guildId, patch });
  if (lu?.message) addNotImported(out, 'the level-up message (settings.levelUp.message)', 1, "Polaris' placeholders differ; set it with unicornia guild levelupmessage");
  if (s.gain?.min !== undefined || s.gain?.max !== undefined) {
    addNotImported(out, 'XP per message (settings.gain.min/max)', 1, "it is sized for Polaris' curve; Unicornia keeps its own (unicornia guild xppermessage)");
  }

  const m = s.multipliers;
  for (const [type, list] of [['role', m?.roles ?? []], ['channel', m?.channels ?? []]] as const) {
    const rows = multiplierRows(guildId, type, list.map((b) => ({ id: b.id, value: b.boost })));
    out.multipliers.push(...rows.multipliers);
    out.exclusions.push(...rows.exclusions);
  }
  if (m?.rolePriority && m.rolePriority !== 'largest') {
    out.notes.push(`Polaris combined role multipliers by "${m.rolePriority}"; Unicornia uses the largest one`);
  }
  if (m?.channelStacking && m.channelStacking !== 'multiply') {
    out.notes.push(`Polaris stacked channel and role multipliers by "${m.channelStacking}"; Unicornia multiplies them`);
  }
  const rewards = s.rewards ?? [];
  out.roleRewards.push(...roleRewardRows(guildId, rewards.map((r) => ({ level: r.level, roleId: r.id, keep: r.keep ?? false }))));
  addNotImported(out, 'reward roles excluded from syncing (rewards[].noSync)', rewards.filter((r) => r.noSync).length, 'Unicornia gives and takes every reward role');
}

function looksLikeUsersMap(v: Record<string, unknown>): boolean {
  const entries = Object.entries(v);
  return entries.length > 0 && entries.every(([k, u]) => /^\d{16,20}$/.test(k) && isObject(u) && 'xp' in u);
}
