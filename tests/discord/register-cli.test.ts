import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { DiscordSimulator } from '../../src/simulator/index.js';
import { silentLogger } from '../../src/util/logger.js';
import { tempDbPath } from '../helpers/temp.js';

function run(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/discord/register-cli.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

describe('npm run register', () => {
  let sim: DiscordSimulator;
  afterAll(async () => sim?.stop());

  it('given a token then the slash commands are registered', async () => {
    sim = await DiscordSimulator.start({ logger: silentLogger });
    const r = await run({ DISCORD_TOKEN: sim.token, DISCORD_API_URL: sim.restUrl, DATABASE_PATH: tempDbPath() });
    expect(r.out).toContain('Registered');
    expect(r.code).toBe(0);
    expect(sim.commands().map((c) => c.name)).toContain('unicornia');
  });

  it('given DEV_GUILD_ID set, then unset, then the commands left in that server are removed', async () => {
    sim ??= await DiscordSimulator.start({ logger: silentLogger });
    const guild = sim.createGuild({ name: 'Dev' });
    const env = { DISCORD_TOKEN: sim.token, DISCORD_API_URL: sim.restUrl, DATABASE_PATH: tempDbPath() };
    expect((await run({ ...env, DEV_GUILD_ID: guild.id })).code).toBe(0);
    expect(sim.commands(guild.id).map((c) => c.name)).toContain('unicornia');
    const r = await run(env);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Removed the slash commands left in server ${guild.id}`);
    expect(sim.commands(guild.id)).toEqual([]);
  });

  it('given no token then it says what to set and exits 1', async () => {
    const r = await run({ DISCORD_TOKEN: '' });
    expect(r.code).toBe(1);
    expect(r.out).toContain('DISCORD_TOKEN');
  });
});
