import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

describe('npm run demo', () => {
  it('given no token and no network then the scripted conversation runs against the simulator and exits 0', () => {
    const cwd = process.cwd();
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(cwd, 'src/demo/main.ts')], { cwd, encoding: 'utf8', timeout: 60_000, env: { ...process.env, DISCORD_TOKEN: '' } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('@alice reached level **2**');
    expect(r.stdout).toContain('Roles gained: Regular');
    expect(r.stdout).toContain('Unicorn Farm leaderboard');
    expect(r.stdout).toContain('All XP saved');
  });
});
