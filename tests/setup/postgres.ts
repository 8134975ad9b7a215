/**
 * Vitest globalSetup: one real PostgreSQL server for the whole run (DESIGN §7.1), unless TEST_DATABASE_URL names one.
 * Each test file creates its own database on it (tests/helpers/pg.ts). The server and its data folder are removed
 * in teardown.
 */
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from './embedded-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A server URL (no database): tests create their own databases on it. */
    pgServerUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env['TEST_DATABASE_URL'];
  if (given) {
    project.provide('pgServerUrl', given);
    return async () => {};
  }
  const server = await startEmbeddedPostgres({ durable: false });
  project.provide('pgServerUrl', server.url);
  return () => server.stop();
}
