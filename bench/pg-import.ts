/**
 * `npm run import` into PostgreSQL (issue 12 item 5): the same Nadeko 7 file as bench/import.ts (1 000 000
 * UserXpStats rows over 200 guilds, 250 000 users with wallets, ids near 2^63) imported into a fresh PostgreSQL
 * database three times (median), then once more into the same database, which must change nothing.
 * Target: under 30 s. The server as in bench/pg.ts (durable defaults unless BENCH_DATABASE_URL names one).
 *
 * Most of the work is the server's: with the embedded server (a child of this process) its CPU time is reported too,
 * read from /proc: the postmaster's own and reaped children's time (the import's connection ends with the import)
 * plus its live children (checkpointer, WAL writer, autovacuum).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchSuite } from './harness.js';
import { median, round } from './harness.js';
import { buildNadeko, timeImports } from './import.js';
import { benchDatabase, withBenchServer } from './pg.js';
import { importNadeko } from '../src/import/nadeko-import.js';

export const pgImportSuite: BenchSuite = {
  name: 'pg-import',
  run: (log) =>
    withBenchServer(log, async (serverUrl) => {
      const dir = fileURLToPath(new URL('./tmp/pg-import/', import.meta.url));
      mkdirSync(dir, { recursive: true });
      const source = `${dir}nadekobot.db`;
      const t = performance.now();
      buildNadeko(source);
      log(`built the Nadeko 7 file of bench/import.ts in ${round((performance.now() - t) / 1000)} s`);
      // The database of the current run: each first import gets a new, empty one.
      const current: { db: Awaited<ReturnType<typeof benchDatabase>> | null } = { db: null };
      const serverCpu = embeddedServerCpu();
      const serverCpus: number[] = [];
      let started: number | null = null;
      // An import's server time ends when its connection has ended and been reaped: read at the next step.
      const stop = () => {
        if (started !== null && serverCpu) serverCpus.push(serverCpu() - started);
        started = null;
      };
      try {
        const fresh = async () => {
          stop();
          await current.db?.drop();
          current.db = await benchDatabase(serverUrl);
        };
        const metrics = await timeImports(
          { wall: 'pg.import_1M_s', cpu: 'pg.import_1M_client_cpu_s', rerun: 'pg.import_1M_rerun_s' },
          fresh,
          () => {
            stop();
            started = serverCpu?.() ?? null;
            return importNadeko(source, current.db!.url);
          },
          log,
        );
        if (serverCpu) {
          const firsts = serverCpus.slice(0, 3);
          log(`server CPU of the first imports: ${firsts.map((s) => `${round(s)} s`).join(', ')}`);
          metrics.push({ name: 'pg.import_1M_server_cpu_s', unit: 's', value: round(median(firsts)) });
        }
        return metrics;
      } finally {
        await current.db?.drop();
        if (!process.env.KEEP_BENCH_FILES) rmSync(dir, { recursive: true, force: true });
      }
    }),
};

/** CPU seconds of the embedded PostgreSQL started by this process so far, or null when the server is elsewhere. */
function embeddedServerCpu(): (() => number) | null {
  const stat = (pid: string) => {
    try {
      return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    } catch {
      return null;
    }
  };
  const childrenOf = (ppid: string) => readdirSync('/proc').filter((p) => /^\d+$/.test(p) && stat(p)?.[1] === ppid);
  const postmaster = childrenOf(String(process.pid)).find((p) => readFileSync(`/proc/${p}/comm`, 'utf8').trim() === 'postgres');
  if (!postmaster) return null;
  const ticks = (f: string[] | null, fields: number[]) => (f ? fields.reduce((a, i) => a + Number(f[i]), 0) : 0);
  // utime, stime (fields 14, 15) and cutime, cstime of reaped children (16, 17); 100 ticks a second.
  return () => (ticks(stat(postmaster), [11, 12, 13, 14]) + childrenOf(postmaster).reduce((a, p) => a + ticks(stat(p), [11, 12]), 0)) / 100;
}
