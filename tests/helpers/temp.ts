/** Temporary folders for real SQLite files, removed after the test file finishes. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

export function tempDir(prefix = 'unicornia-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

let counter = 0;
/** A fresh database path in a folder removed after the file's tests. */
export function tempDbPath(): string {
  return join(tempDir(), `test-${++counter}.db`);
}
