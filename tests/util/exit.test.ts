/** exitAfterFlush: the last words of a process reach a pipe that is read slowly, where process.exit() cut them. */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const FIXTURE = fileURLToPath(new URL('../fixtures/loud-exit.ts', import.meta.url));

interface Run {
  bytes: number;
  tail: string;
  code: number | null;
  /** Whether the child said its write was queued; a child that died before that would otherwise hang the test. */
  queued: boolean;
}

/** Runs the fixture with stderr as a pipe nobody reads for a while; returns what arrived and the exit code. */
async function run(mode: string): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  child.stderr.pause();
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  // Start reading stderr only once the child says its write is queued (the pipe's buffer is full by then), or once it
  // has ended without saying so: then stderr holds why, and the test fails with that text instead of timing out.
  const queued = await Promise.race([
    new Promise<boolean>((resolve) => child.stdout.once('data', () => resolve(true))),
    new Promise<boolean>((resolve) => child.once('exit', () => resolve(false))),
  ]);
  child.stderr.on('data', (d: Buffer) => chunks.push(d));
  child.stderr.resume();
  const code = await closed;
  const all = Buffer.concat(chunks).toString();
  return { bytes: all.length, tail: queued ? all.slice(-4) : all.slice(0, 2000), code, queued };
}

describe('exitAfterFlush', () => {
  it('given 1 MB on stderr and a slow reader then every byte arrives before the process exits with its code', async () => {
    const r = await run('flush');
    expect(r).toEqual({ bytes: 1_000_004, tail: 'END\n', code: 1, queued: true });
  });

  it('given the same write ended by a plain process.exit then bytes are lost (what the helper exists for)', async () => {
    const r = await run('plain');
    expect(r.queued).toBe(true);
    expect(r.bytes).toBeLessThan(1_000_004);
  });
});
