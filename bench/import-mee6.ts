/**
 * MEE6 import: a folder of 1 000 MEE6 leaderboard pages (200 servers × 5 000 members, 1 000 players a page, as the
 * API serves them; members drawn from 250 000 users, ids near 2^63) imported into a fresh Unicornia database with
 * --keep xp. Target (issue 14): under 10 s. Also times the re-run, which must change nothing.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchSuite } from './harness.js';
import { round } from './harness.js';
import { importFigureNames, removeSqliteTarget, timeImports } from './import.js';
import { importBot } from '../src/import/bots/bot-import.js';

const GUILDS = 200;
const MEMBERS = 5_000;
const PAGE = 1_000;
const USERS = 250_000;
const GUILD_BASE = 1_100_000_000_000_000_000n;
const USER_BASE = 9_000_000_000_000_000_000n;

function buildPages(dir: string): number {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let bytes = 0;
  for (let g = 0; g < GUILDS; g++) {
    const guildId = String(GUILD_BASE + BigInt(g));
    for (let page = 0; page < MEMBERS / PAGE; page++) {
      const players = [];
      for (let i = page * PAGE; i < (page + 1) * PAGE; i++) {
        const xp = 200_000 - i * 37; // the leaderboard's order: XP descending
        players.push({
          avatar: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', detailed_xp: [xp % 500, 1_000, xp], discriminator: '0', guild_id: guildId,
          id: String(USER_BASE + BigInt((i * 7 + g * 1_237) % USERS)), is_monetize_subscriber: false, level: 30,
          message_count: 1_000 + i, monetize_xp_boost: 0, username: `member${i}`, xp,
        });
      }
      const text = JSON.stringify({
        admin: false, banner_url: null, guild: { icon: null, id: guildId, name: `server ${g}`, premium: false }, is_member: false,
        page, player: null, players, role_rewards: [{ rank: 5, role: { id: '2222222222222222222', name: 'Level 5' } }],
        user_guild_settings: null, xp_per_message: [15, 25], xp_rate: 1,
      });
      writeFileSync(`${dir}g${g}-p${page}.json`, text);
      bytes += text.length;
    }
  }
  return bytes;
}

export const importMee6Suite: BenchSuite = {
  name: 'import-mee6',
  async run(log) {
    const dir = fileURLToPath(new URL('./tmp/import-mee6/', import.meta.url));
    const pages = `${dir}pages/`;
    const t = performance.now();
    const bytes = buildPages(pages);
    log(`built ${(GUILDS * MEMBERS / PAGE).toLocaleString('en-US')} MEE6 pages, ${(GUILDS * MEMBERS).toLocaleString('en-US')} players, ${round(bytes / 2 ** 20, 0)} MiB in ${round((performance.now() - t) / 1000)} s`);
    const target = `${dir}unicornia.db`;
    const metrics = await timeImports(importFigureNames('import.mee6'), () => removeSqliteTarget(target), () => importBot('mee6', pages, target, { keep: 'xp' }), log);
    if (!process.env.KEEP_BENCH_FILES) rmSync(dir, { recursive: true, force: true });
    return metrics;
  },
};
