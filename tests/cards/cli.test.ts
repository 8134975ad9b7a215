/** `npm run card` with bad arguments: a clear message and exit code 2, never a Node stack trace. */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function card(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cards/cli.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
}

describe('npm run card with bad arguments', () => {
  it.each([
    [['--xp', '-5'], "use '--xp=-XYZ'"],
    [['--xp=-5'], '--xp must be 0 or more, got -5'],
    [['--xp', '1e3'], '--xp must be a whole number, got "1e3"'],
    [['--rank=-1'], '--rank must be 0 or more'],
    [['--template', '/does/not/exist.yml'], 'Cannot read the template /does/not/exist.yml'],
    [['--nonsense'], "Unknown option '--nonsense'"],
  ])('given %j then it says %j and exits 2 without a stack trace', (args, message) => {
    const r = card(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
