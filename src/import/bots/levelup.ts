/**
 * vrt-cogs LevelUp (a Red-DiscordBot cog). Two files hold its data:
 * - Red's config JSON of the cog (`cogs/LevelUp/settings.json`, LevelUp 3.x): `{ "<cog id>": { "GUILD":
 *   { "<guild id>": conf } } }`, with `base`/`exp` for the curve, `solo` for anti-farming;
 * - the file LevelUp 4.x writes itself: `{ "configs": { "<guild id>": conf } }`, with `algorithm: { base, exp }`
 *   and `ignore_solo`; it leaves out every value at its default.
 * A conf has `users` (`xp`, `level`, `prestige`, `messages`, `voice`, `stars`), `levelroles` (level → role id),
 * `autoremove`, `cooldown`, `ignoredchannels`/`ignoredroles`/`ignoredusers`, the notify settings, and more.
 * LevelUp's curve: level = ⌊(xp / base)^(1 / exp)⌋, reaching level L takes ⌈base · L^exp⌉ (defaults 100 and 2).
 * Red writes ids as bare JSON numbers, above 2^53: parseJson keeps them exact.
 */
import { z } from 'zod';
import { toSnowflake } from '../../storage/ids.js';
import type { SettingsPatch } from '../../storage/xp-writes.js';
import { addNotImported, emptyExport, type BotExport, type BotSource, type InputFile } from './shape.js';
import { Count, fractionBetween, Id, isObject, member, roleRewardRows, SKIPS } from './values.js';

const Profile = z.object({ xp: Count.optional(), prestige: Count.optional() });

const Conf = z.object({
  users: z.record(z.string(), Profile).optional(),
  levelroles: z.record(z.string(), Id).optional(),
  autoremove: z.boolean().optional(),
  algorithm: z.object({ base: Count, exp: Count }).partial().optional(),
  base: Count.optional(),
  exp: Count.optional(),
  cooldown: Count.optional(),
  enabled: z.boolean().optional(),
  ignoredchannels: z.array(Id).optional(),
  ignoredroles: z.array(Id).optional(),
  ignoredusers: z.array(Id).optional(),
  allowedchannels: z.array(Id).optional(),
  allowedroles: z.array(Id).optional(),
  ignore_solo: z.boolean().optional(),
  solo: z.boolean().optional(),
  notify: z.boolean().optional(),
  notifydm: z.boolean().optional(),
  notifylog: Id.nullable().optional(),
  levelup_msg: z.string().nullable().optional(),
  lvlup_msg: z.string().nullable().optional(),
  xp: z.array(Count).optional(),
  voicexp: Count.optional(),
  rolebonus: z.unknown().optional(),
  channelbonus: z.unknown().optional(),
  rolebonuses: z.unknown().optional(),
  channelbonuses: z.unknown().optional(),
});
type LevelUpConf = z.infer<typeof Conf>;

const CogDb = z.object({ configs: z.record(z.string(), Conf.nullable()) });
const RedConfig = z.record(z.string(), z.object({ GUILD: z.record(z.string(), Conf.nullable()) }).loose());
const File = z.union([CogDb.transform((d) => d.configs), RedConfig.transform((r) => Object.assign({}, ...Object.values(r).map((c) => c.GUILD)) as Record<string, LevelUpConf | null>)]);

export interface LevelUpCurve {
  base: number;
  exp: number;
}

export function levelUpLevel(xp: number, c: LevelUpCurve): number {
  return Math.floor((xp / c.base) ** (1 / c.exp));
}

export function levelUpXpFor(level: number, c: LevelUpCurve): number {
  return Math.ceil(c.base * level ** c.exp);
}

export const levelup: BotSource = {
  name: 'levelup',
  label: 'vrt LevelUp',
  describes: 'vrt-cogs LevelUp data (Red\'s settings.json of the cog, or the cog\'s own JSON with "configs")',
  extension: 'json',
  schema: File,
  looksLike: (v) => isObject(v) && (isObject(v['configs']) || Object.values(v).some((c) => isObject(c) && isObject(c['GUILD']))),
  parser() {
    const out = emptyExport();
    const add = (file: InputFile) => {
      for (const [id, conf] of Object.entries(file.value as z.infer<typeof File>)) {
        const guildId = toSnowflake(id);
        if (guildId === null) {
          out.settings.push({ skip: SKIPS.guild });
          continue;
        }
        if (conf) guild(guildId, conf, out);
      }
    };
    return { add, finish: () => out };
  },
};

function guild(guildId: bigint, c: LevelUpConf, out: BotExport): void {
  const curve = { base: c.algorithm?.base ?? c.base ?? 100, exp: c.algorithm?.exp ?? c.exp ?? 2 };
  let prestiged = 0;
  for (const [id, p] of Object.entries(c.users ?? {})) {
    const xp = p.xp ?? 0;
    const level = levelUpLevel(xp, curve);
    out.members.push(member(guildId, id, xp, level, fractionBetween(xp, levelUpXpFor(level, curve), levelUpXpFor(level + 1, curve))));
    if ((p.prestige ?? 0) > 0) prestiged++;
  }
  addNotImported(out, 'prestige levels (users[].prestige)', prestiged, 'Unicornia has no prestige; members keep the XP and level they have now');

  const patch: SettingsPatch = {};
  if (c.enabled !== undefined) patch.xpEnabled = c.enabled;
  if (c.cooldown !== undefined) patch.cooldownSeconds = Math.max(0, Math.min(86_400, Math.round(c.cooldown)));
  const solo = c.ignore_solo ?? c.solo;
  if (solo !== undefined) patch.voiceAntiFarm = solo;
  // Where level-ups were announced; absent keys are LevelUp's defaults (no announcement).
  const log = c.notifylog === null || c.notifylog === undefined ? null : toSnowflake(c.notifylog);
  if (log !== null) Object.assign(patch, { announceMode: 'fixed', announceChannelId: String(log) });
  else patch.announceMode = c.notifydm ? 'dm' : c.notify ? 'channel' : 'off';
  out.settings.push({ guildId, patch });
  if (c.levelup_msg || c.lvlup_msg) {
    addNotImported(out, 'the level-up message (levelup_msg)', 1, "LevelUp's placeholders differ; set it with unicornia guild levelupmessage");
  }

  if (c.xp !== undefined || c.voicexp !== undefined) {
    addNotImported(out, 'XP per message and per voice minute (xp, voicexp)', 1, "they are sized for LevelUp's curve; Unicornia keeps its own (unicornia guild xppermessage, voicexp)");
  }
  const bonuses = [c.rolebonus ?? c.rolebonuses, c.channelbonus ?? c.channelbonuses].reduce<number>((n, b) => n + bonusCount(b), 0);
  addNotImported(out, 'role and channel XP bonuses (rolebonus, channelbonus)', bonuses, 'Unicornia multiplies XP; it adds no bonus ranges');

  for (const [type, ids] of [['channel', c.ignoredchannels], ['role', c.ignoredroles], ['user', c.ignoredusers]] as const) {
    for (const raw of ids ?? []) {
      const id = toSnowflake(raw);
      out.exclusions.push(id === null ? { skip: SKIPS[type] } : { guildId, type, itemId: id });
    }
  }
  addNotImported(
    out,
    'allow-lists (allowedchannels, allowedroles)',
    (c.allowedchannels?.length ?? 0) + (c.allowedroles?.length ?? 0),
    'Unicornia excludes channels and roles; it has no allow-list',
  );
  const rewards = Object.entries(c.levelroles ?? {}).map(([level, roleId]) => ({ level: Number(level), roleId, keep: !c.autoremove }));
  out.roleRewards.push(...roleRewardRows(guildId, rewards));
}

/** Entries of a bonus setting: `{ msg: { id: [min, max] }, voice: { … } }`. */
function bonusCount(bonus: unknown): number {
  if (!isObject(bonus)) return 0;
  return Object.values(bonus).reduce<number>((n, kind) => n + (isObject(kind) ? Object.keys(kind).length : 0), 0);
}
