/** A fresh PostgreSQL database per call on the run's server (tests/setup/postgres.ts), dropped after the file. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, inject } from 'vitest';

export function pgServerUrl(): string {
  return inject('pgServerUrl');
}

/** The URL of a new, empty database; it is dropped (connections and all) when the test file ends. */
export async function pgDatabaseUrl(): Promise<string> {
  const server = pgServerUrl();
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: `${server}/postgres` });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  afterAll(async () => {
    const c = new pg.Client({ connectionString: `${server}/postgres` });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  });
  return `${server}/${name}`;
}
