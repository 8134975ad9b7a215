/** `npm start` with a broken xp_config.yml: the process stops before logging in, naming the field and the line. */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../helpers/temp.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function start(configText: string) {
  const dir = tempDir('start-');
  const config = join(dir, 'xp_config.yml');
  writeFileSync(config, configText);
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
    env: {
      ...process.env,
      DISCORD_TOKEN: 'not-a-real-token',
      // Nothing listens there: if the config were accepted the bot would try to log in and fail differently.
      DISCORD_API_URL: 'http://127.0.0.1:9/api',
      XP_CONFIG_PATH: config,
      DATABASE_PATH: join(dir, 'bot.db'),
      LOG_LEVEL: 'silent',
    },
  });
}

describe('start with xp_config.yml', () => {
  it('given a broken file then start stops with exit code 1 and a message naming the field and its line, no stack trace', () => {
    const r = start('shop:\n  bgs:\n    default: { name: D, price: 0, url: assets/backgrounds/default.png }\n    aurora:\n      name: Aurora\n      price: free\n      url: assets/backgrounds/aurora.gif\n');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('xp_config.yml is not valid:');
    expect(r.stderr).toContain('line 6, shop.bgs.aurora.price: must be a whole number');
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('given a file with a YAML syntax error then the message names the line', () => {
    const r = start('currency:\n  name: "Stars\n  emoji: x\n');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/line \d+: not valid YAML/);
  });

  it('given thousands of wrong values in the environment then stderr (a pipe) gets the whole capped list (the uncapped one was cut at 64 KiB) and exit code 1', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, DISCORD_TOKEN: 'x', OWNER_IDS: Array.from({ length: 1500 }, (_, i) => `owner-${i}-${'y'.repeat(60)}`).join(','), FLUSH_INTERVAL_SECONDS: '3000000' },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('FLUSH_INTERVAL_SECONDS: must be a whole number from 1 to 3,600 (seconds), got "3000000"');
    expect(r.stderr).toContain('  OWNER_IDS: … and 1497 more like these');
    expect(r.stderr.length).toBeLessThan(2_000);
  });
});
