/**
 * Exports of other leveling bots, shaped as their public code and APIs write them:
 * - MEE6: leaderboard pages of mee6.xyz/api/plugins/levels/leaderboard/<guild> (`guild`, `players[]` with
 *   `detailed_xp`, `role_rewards[]` with `rank` and `role`, `xp_rate`, `xp_per_message`);
 * - Polaris (GDColon/Polaris-Open): the "Export XP" file `{ settings, users }` (database_schema.js, export_xp.js);
 * - vrt-cogs LevelUp: Red's config JSON (`{ "117117117": { "GLOBAL", "GUILD": { … } } }`, LevelUp 3.x keys) and
 *   the cog's own JSON (`{ "configs": … }`, common/models.py, defaults left out);
 * - Lurkr: pages of api.lurkr.gg/levels/<guild> (`guild`, `levels[]`, `roleRewards[]`, `multipliers[]`);
 * - Amari: pages of amaribot.com/api/v1/guild/leaderboard/<guild> (`count`, `total_count`, `data[]`);
 * - CSV.
 * Ids are above 2^53; Red writes them as bare JSON numbers, which `json()` reproduces. U1 is in two servers.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mee6LevelCost, mee6LevelStart } from '../../src/import/bots/mee6.js';
import { CH1, CH2, G1, G2, ROLE1, ROLE2, U1, U2, U3, U4 } from './nadeko-fixtures.js';

/** JSON text in which `big(id)` values are written as bare numbers, as Red and Python's json write them. */
export function json(value: unknown): string {
  return JSON.stringify(value, null, 1).replace(/"__big__(\d+)"/g, '$1');
}
export const big = (id: string) => `__big__${id}`;

function write(path: string, text: string): string {
  writeFileSync(path, text);
  return path;
}

function mee6Player(id: string, guildId: string, level: number, into: number, messages: number) {
  const cost = mee6LevelCost(level);
  const xp = mee6LevelStart(level) + into;
  return { avatar: 'a1b2', detailed_xp: [into, cost, xp], discriminator: '0', guild_id: guildId, id, is_monetize_subscriber: false, level, message_count: messages, monetize_xp_boost: 0, username: `user${id.slice(-2)}`, xp };
}

function mee6Page(guildId: string, page: number, players: unknown[], extra: Record<string, unknown> = {}) {
  return {
    admin: false, banner_url: null, country: '', guild: { icon: null, id: guildId, name: `server ${guildId.slice(-3)}`, premium: false },
    is_member: false, money_rewards: [], page, player: null, players,
    role_rewards: [
      { rank: 5, role: { color: 0, hoist: false, icon: null, id: ROLE1, managed: false, mentionable: false, name: 'Level 5', permissions: '0', position: 2 } },
      { rank: 10, role: { color: 0, hoist: false, icon: null, id: ROLE2, managed: false, mentionable: false, name: 'Level 10', permissions: '0', position: 3 } },
    ],
    user_guild_settings: null, xp_per_message: [15, 25], xp_rate: 1, ...extra,
  };
}

/**
 * A folder of MEE6 pages: G1 (two pages, rate 1.5; U2 appears on both, as when the leaderboard moved between
 * downloads), G2 (one page; U1 again, and a player whose id is not a snowflake).
 */
export function writeMee6(dir: string): string {
  mkdirSync(dir, { recursive: true });
  write(join(dir, 'g1-page-0.json'), json(mee6Page(G1, 0, [mee6Player(U1, G1, 7, 139, 420), mee6Player(U2, G1, 2, 0, 12)], { xp_rate: 1.5 })));
  write(join(dir, 'g1-page-1.json'), json(mee6Page(G1, 1, [mee6Player(U2, G1, 2, 0, 12), mee6Player(U3, G1, 0, 40, 0)], { xp_rate: 1.5 })));
  write(join(dir, 'g2-page-0.json'), json(mee6Page(G2, 0, [mee6Player(U1, G2, 30, 1000, 9000), { ...mee6Player(U4, G2, 1, 0, 1), id: 'not-an-id' }])));
  return dir;
}

/** A Polaris export of one server (its file names the server nowhere). */
export function writePolaris(path: string): string {
  return write(path, json({
    settings: {
      enabled: true,
      gain: { min: 50, max: 100, time: 45 },
      curve: { 3: 1, 2: 50, 1: 100 }, rounding: 100, maxLevel: 1000,
      levelUp: { enabled: true, embed: false, rewardRolesOnly: false, message: 'GG [[USER]], level [[LEVEL]]!', channel: CH1, multiple: 1, multipleUntil: 20 },
      multipliers: {
        roles: [{ id: ROLE1, boost: 2 }, { id: ROLE2, boost: 0 }],
        channels: [{ id: CH1, boost: 0.5 }, { id: CH2, boost: 50 }],
        rolePriority: 'largest', channelStacking: 'multiply',
      },
      rewards: [
        { id: ROLE1, level: 5, keep: false, noSync: false },
        { id: ROLE2, level: 10, keep: true, noSync: true },
      ],
      rewardSyncing: { sync: 'level', noManual: false, noWarning: false },
      leaderboard: { disabled: false, private: false, hideRoles: false, maxEntries: 0, minLevel: 0, ephemeral: false, embedColor: -1 },
    },
    users: {
      [U1]: { xp: 2000, cooldown: 1_700_000_000_000 }, // level 5 on Polaris' default curve: 1 900 reached, 2 600 next
      [U2]: { xp: 99, cooldown: 1_700_000_000_000, hidden: true },
      notanid: { xp: 5 },
    },
  }));
}

/** Red's config JSON of LevelUp 3.x: two servers, ids as bare numbers, `base`/`exp`, `solo`, `autoremove`. */
export function writeLevelUpRed(path: string): string {
  const users = (xp: number, extra: Record<string, unknown> = {}) => ({ xp, voice: 3600, messages: 10, level: 0, prestige: 0, emoji: null, background: null, stars: 0, ...extra });
  return write(path, json({
    117117117: {
      GLOBAL: { ignored_guilds: [], cache_seconds: 15, render_gifs: false },
      GUILD: {
        [G1]: {
          users: { [U1]: users(2500, { prestige: 1 }), [U3]: users(99.75) },
          levelroles: { 5: big(ROLE1), 10: big(ROLE2) },
          autoremove: true,
          base: 100, exp: 2, cooldown: 30, xp: [3, 6], voicexp: 2,
          ignoredchannels: [big(CH1)], ignoredroles: [big(ROLE2)], ignoredusers: [big(U4)],
          solo: false, notify: true, notifydm: false, notifylog: null, mention: false,
          rolebonuses: { msg: { [ROLE1]: [1, 5] }, voice: {} }, channelbonuses: { msg: {}, voice: {} },
        },
        [G2]: { users: { [U1]: users(400) }, base: 50, exp: 1.5, notifylog: big(CH2) },
      },
    },
  }));
}

/** The JSON LevelUp 4.x writes itself: `configs`, `algorithm`, defaults left out. */
export function writeLevelUpCog(path: string): string {
  return write(path, json({
    configs: {
      [G1]: { users: { [U2]: { xp: 1200, level: 3, messages: 40 } }, enabled: true, algorithm: { base: 200, exp: 2 }, ignore_solo: false, notifydm: true },
    },
    ignored_guilds: [],
    cache_seconds: 0,
  }));
}

/** Lurkr leaderboard pages of G1: two pages, a Global, a Channel and a Role multiplier, role rewards. */
export function writeLurkr(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const level = (userId: string, lvl: number, xp: number, rank: number) => ({
    level: lvl, messageCount: 12, nextLevelXp: 100 + 50 * lvl ** 2, progress: 0, rank, user: { accentColour: null, avatar: null, discriminator: '0', username: 'x' }, userId, xp,
  });
  const page = (levels: unknown[]) => ({
    guild: { icon: null, id: G1, name: 'server', premium: false },
    isManager: false, vanity: null, levels,
    multipliers: [
      { id: 'm1', multiplier: 2, targets: [{ id: CH1, name: 'general', parentId: null, type: 0 }], type: 'Channel' },
      { id: 'm2', multiplier: 1.5, targets: [{ id: ROLE1, name: 'boost', color: 0, position: 1 }], type: 'Role' },
      { id: 'm3', multiplier: 2, targets: [], type: 'Global' },
    ],
    roleRewards: [{ id: 'r1', level: 5, roles: [{ id: ROLE2, name: 'five', color: 0, position: 1 }] }],
  });
  write(join(dir, 'page-1.json'), json(page([level(U1, 4, 600, 1)]))); // level 4 starts at 550, level 5 at 900
  write(join(dir, 'page-2.json'), json(page([level(U2, 0, 10, 2)])));
  return dir;
}

/** One Amari page (the server is named by --guild). */
export function writeAmari(path: string): string {
  return write(path, json({
    count: 2, total_count: 2,
    data: [
      { id: U1, username: 'alice', exp: '5000', level: 14, weeklyExp: 300 },
      { id: U3, username: 'carol', exp: 40, level: 1, weeklyExp: 0 },
    ],
  }));
}

export function writeCsv(path: string, text?: string): string {
  return write(path, text ?? ['guild_id,user_id,xp,level', `${G1},${U1},1000,11`, `${G2},${U1},35,0`, `${G1},${U2},abc,1`, `"${G2}","${U3}",198,`, ''].join('\r\n'));
}
