/** exitAfterFlush: the last words of a process reach a pipe that is read slowly, where process.exit() cut them. */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const FIXTURE = fileURLToPath(new URL('../fixtures/loud-exit.ts', import.meta.url));

/** Runs the fixture with stderr as a pipe nobody reads for a while; returns what arrived and the exit code. */
async function run(mode: string): Promise<{ bytes: number; tail: string; code: number | null }> {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  child.stderr.pause();
  // Start reading stderr only once the child says its write is queued: the pipe's buffer is full by then.
  await new Promise((resolve) => child.stdout.once('data', resolve));
  child.stderr.on('data', (d: Buffer) => chunks.push(d));
  child.stderr.resume();
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const all = Buffer.concat(chunks).toString();
  return { bytes: all.length, tail: all.slice(-4), code };
}

describe('exitAfterFlush', () => {
  it('given 1 MB on stderr and a slow reader then every byte arrives before the process exits with its code', async () => {
    const r = await run('flush');
    expect(r).toEqual({ bytes: 1_000_004, tail: 'END\n', code: 1 });
  });
});
