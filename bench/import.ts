/**
 * NadekoBot import: a Nadeko 7 file with 1 000 000 UserXpStats rows (200 guilds × 5 000 members drawn from
 * 250 000 users, all with DiscordUser rows and wallets) imported into a fresh Unicornia database.
 * Target (issue 6): under 10 s. Also times the re-run, which must change nothing.
 */
import Database from 'better-sqlite3';
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchSuite, Metric } from './harness.js';
import { median, round } from './harness.js';
import { importNadeko } from '../src/import/nadeko-import.js';
import type { ImportSummary } from '../src/import/summary.js';

const ROWS = 1_000_000;
const GUILDS = 200;
const USERS = 250_000;
const GUILD_BASE = 1_100_000_000_000_000_000n;
const USER_BASE = 9_000_000_000_000_000_000n; // near 2^63: ids far above 2^53

export function buildNadeko(path: string): void {
  rmSync(path, { force: true });
  const db = new Database(path);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.exec(`
    CREATE TABLE "UserXpStats" ("Id" INTEGER NOT NULL CONSTRAINT "PK_UserXpStats" PRIMARY KEY AUTOINCREMENT,
      "UserId" INTEGER NOT NULL, "GuildId" INTEGER NOT NULL, "Xp" INTEGER NOT NULL, "DateAdded" TEXT NULL);
    CREATE TABLE "XpSettings" ("Id" INTEGER NOT NULL CONSTRAINT "PK_XpSettings" PRIMARY KEY AUTOINCREMENT,
      "GuildId" INTEGER NOT NULL, "XpFormulaA" INTEGER NOT NULL, "XpFormulaC" INTEGER NOT NULL, "DateAdded" TEXT NULL);
    CREATE TABLE "XpCurrencyReward" ("Id" INTEGER NOT NULL CONSTRAINT "PK_XpCurrencyReward" PRIMARY KEY AUTOINCREMENT,
      "XpSettingsId" INTEGER NOT NULL, "Level" INTEGER NOT NULL, "Amount" INTEGER NOT NULL, "DateAdded" TEXT NULL);
    CREATE TABLE "DiscordUser" ("Id" INTEGER NOT NULL CONSTRAINT "PK_DiscordUser" PRIMARY KEY AUTOINCREMENT,
      "UserId" INTEGER NOT NULL, "Username" TEXT NULL, "AvatarId" TEXT NULL, "ClubId" INTEGER NULL,
      "IsClubAdmin" INTEGER NOT NULL DEFAULT 0, "TotalXp" INTEGER NOT NULL DEFAULT 0,
      "CurrencyAmount" INTEGER NOT NULL DEFAULT 0, "DateAdded" TEXT NULL);
  `);
  db.transaction(() => {
    const xs = db.prepare('INSERT INTO XpSettings (Id, GuildId, XpFormulaA, XpFormulaC) VALUES (?, ?, 9, 27)');
    const cr = db.prepare('INSERT INTO XpCurrencyReward (XpSettingsId, Level, Amount) VALUES (?, 10, 100)');
    for (let g = 0; g < GUILDS; g++) {
      xs.run(g + 1, GUILD_BASE + BigInt(g));
      cr.run(g + 1);
    }
    const du = db.prepare('INSERT INTO DiscordUser (UserId, Username, TotalXp, CurrencyAmount) VALUES (?, ?, ?, ?)');
    for (let u = 0; u < USERS; u++) du.run(USER_BASE + BigInt(u), `user${u}`, u % 50_000, u % 1000);
    const xp = db.prepare('INSERT INTO UserXpStats (UserId, GuildId, Xp) VALUES (?, ?, ?)');
    const perGuild = ROWS / GUILDS;
    for (let g = 0; g < GUILDS; g++) {
      const guild = GUILD_BASE + BigInt(g);
      // A different stride per guild: members overlap across guilds the way real servers do.
      for (let i = 0; i < perGuild; i++) xp.run(USER_BASE + BigInt((i * 7 + g * 1_237) % USERS), guild, (i * 31 + g) % 100_000);
    }
  })();
  db.exec('CREATE UNIQUE INDEX "IX_UserXpStats_UserId_GuildId" ON "UserXpStats" ("UserId", "GuildId")');
  db.close();
}

/** The figures' names: first import (wall, CPU of this process) and re-run. */
export interface ImportFigureNames {
  wall: string;
  cpu: string;
  rerun: string;
}

/** The names of the SQLite import figures under `prefix`. */
export function importFigureNames(prefix: string): ImportFigureNames {
  return { wall: `${prefix}_1M_rows_s`, cpu: `${prefix}_1M_rows_cpu_s`, rerun: `${prefix}_1M_rerun_s` };
}

/** Removes an SQLite target and its companions, so the next import starts from nothing. */
export function removeSqliteTarget(target: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
}

/**
 * Times `importOnce` into a fresh Unicornia database (`fresh` empties it) three times (median wall and CPU: the
 * machine may be shared), then once more into the same database, which must change nothing.
 */
export async function timeImports(
  names: ImportFigureNames,
  fresh: () => void | Promise<void>,
  importOnce: () => Promise<ImportSummary>,
  log: (line: string) => void,
): Promise<Metric[]> {
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < 3; i++) {
    await fresh();
    const t = performance.now();
    const cpu = process.cpuUsage();
    const first = await importOnce();
    walls.push((performance.now() - t) / 1000);
    const used = process.cpuUsage(cpu);
    cpus.push((used.user + used.system) / 1e6);
    const rows = Object.entries(first.sections).filter(([, s]) => s.imported > 0).map(([name, s]) => `${s.imported.toLocaleString('en-US')} ${name}`);
    log(`first import #${i + 1}: ${rows.join(', ')} in ${round(walls[i]!)} s (${round(cpus[i]!)} s of CPU)`);
  }
  const t = performance.now();
  const again = await importOnce();
  const rerun = (performance.now() - t) / 1000;
  const changed = Object.values(again.sections).reduce((a, s) => a + s.imported, 0);
  log(`re-run: ${changed} rows changed in ${round(rerun)} s`);
  if (changed !== 0) throw new Error(`the re-run changed ${changed} rows; it must change nothing`);
  return [
    { name: names.wall, unit: 's', value: round(median(walls)) },
    // CPU time of the import alone: less sensitive than wall time to other processes sharing the machine.
    { name: names.cpu, unit: 's', value: round(median(cpus)) },
    { name: names.rerun, unit: 's', value: round(rerun) },
  ];
}

export const importSuite: BenchSuite = {
  name: 'import',
  async run(log) {
    const dir = fileURLToPath(new URL('./tmp/import/', import.meta.url));
    mkdirSync(dir, { recursive: true });
    const source = `${dir}nadekobot.db`;
    const target = `${dir}unicornia.db`;
    const t = performance.now();
    buildNadeko(source);
    log(`built a Nadeko 7 file: ${ROWS.toLocaleString('en-US')} UserXpStats rows, ${USERS.toLocaleString('en-US')} users in ${round((performance.now() - t) / 1000)} s`);
    const metrics = await timeImports(importFigureNames('import.nadeko'), () => removeSqliteTarget(target), () => importNadeko(source, target), log);
    if (!process.env.KEEP_BENCH_FILES) rmSync(dir, { recursive: true, force: true });
    return metrics;
  },
};
