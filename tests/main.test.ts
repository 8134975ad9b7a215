/** `npm start` itself: the real entry point as a child process, against the simulator. */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { chmodSync } from 'node:fs';
import { DiscordSimulator } from '../src/simulator/index.js';
import { silentLogger } from '../src/util/logger.js';
import { openDatabase } from '../src/storage/database.js';
import { XpReadStore } from '../src/storage/xp-reads.js';
import { tempDir } from './helpers/temp.js';

let sim: DiscordSimulator | undefined;
let child: ChildProcess | undefined;
/** Every process a test started: one that timed out must not keep running (and holding CPU) after it. */
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  await sim?.stop();
  sim = child = undefined;
});

function start(env: Record<string, string>, as: { uid?: number; gid?: number } = {}) {
  child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], ...as });
  children.push(child);
  let out = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  const onData = (d: Buffer) => {
    out += d;
    for (const w of waiters.filter((x) => out.includes(x.text))) w.resolve();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child!.on('exit', resolve));
  return {
    output: () => out,
    exited,
    waitFor: (text: string) => new Promise<void>((resolve) => (out.includes(text) ? resolve() : waiters.push({ text, resolve }))),
  };
}

describe('npm start', () => {
  it('given no token then it says what to set, points to the demo, and exits 1', async () => {
    const p = start({ DISCORD_TOKEN: '' });
    expect(await p.exited).toBe(1);
    expect(p.output()).toContain('DISCORD_TOKEN=<your bot token> npm start');
    expect(p.output()).toContain('npm run demo');
  });

  it('given a token then it logs in, earns XP, and on SIGTERM writes buffered XP and exits 0', async () => {
    sim = await DiscordSimulator.start({ logger: silentLogger });
    const guild = sim.createGuild({ name: 'G' });
    const channel = sim.createChannel(guild.id, { name: 'general' }).id;
    const alice = sim.createUser({ username: 'alice' }).id;
    sim.addMember(guild.id, alice);
    const dbPath = join(tempDir(), 'start.db');
    const p = start({ DISCORD_TOKEN: sim.token, DISCORD_API_URL: sim.restUrl, DATABASE_PATH: dbPath, LOG_LEVEL: 'info' });
    await p.waitFor('logged in');
    const reply = sim.waitFor('message', (m) => m.authorId === sim!.botUser.id, { timeoutMs: 20_000 });
    sim.sendMessage({ channelId: channel, authorId: alice, content: 'hello' });
    sim.sendMessage({ channelId: channel, authorId: alice, content: '!level check' });
    expect((await reply).attachments.map((a) => a.filename)).toEqual(['level.png']); // the XP card
    child!.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    const db = openDatabase(dbPath);
    expect(new XpReadStore(db, 'x').userRow(guild.id, alice)?.xp).toBe(1);
    db.close();
  });

  it('given privileged intents turned off in the portal then it names the switches and exits 1', async () => {
    sim = await DiscordSimulator.start({ logger: silentLogger, privilegedIntents: { messageContent: false, guildMembers: false } });
    const p = start({ DISCORD_TOKEN: sim.token, DISCORD_API_URL: sim.restUrl, DATABASE_PATH: join(tempDir(), 'x.db') });
    expect(await p.exited).toBe(1);
    expect(p.output()).toContain('MESSAGE CONTENT INTENT');
    expect(p.output()).toContain('SERVER MEMBERS INTENT');
  });

  it('given a wrong token then it says so and exits 1', async () => {
    sim = await DiscordSimulator.start({ logger: silentLogger });
    const p = start({ DISCORD_TOKEN: 'not-the-token', DISCORD_API_URL: sim.restUrl, DATABASE_PATH: join(tempDir(), 'y.db') });
    expect(await p.exited).toBe(1);
    expect(p.output()).toContain('Discord rejected the token');
  });
});

describe('npm start with a bad database path', () => {
  it('given DATABASE_PATH pointing at a file that is not a database then it says which variable and exits 1, without a stack trace', async () => {
    const bad = join(tempDir(), 'not-a-db.txt');
    (await import('node:fs')).writeFileSync(bad, 'hello, I am not SQLite '.repeat(100));
    const p = start({ DISCORD_TOKEN: 'x', DATABASE_PATH: bad });
    expect(await p.exited).toBe(1);
    expect(p.output()).toContain(`Cannot open the database at DATABASE_PATH=${bad}: file is not a database`);
    expect(p.output()).not.toMatch(/\n\s+at /);
  });

  it.each([
    ['', 'is empty'],
    [':memory:', 'is an in-memory database'],
    ['file::memory:?cache=shared', 'is a file: URI'],
  ])('given DATABASE_PATH=%j (a private database) then it is refused before anything opens, naming the variable', async (value, reason) => {
    const p = start({ DISCORD_TOKEN: 'x', DATABASE_PATH: value });
    expect(await p.exited).toBe(1);
    expect(p.output()).toContain(`DATABASE_PATH: ${reason}`);
  });

  it('given a database file that cannot be written then start stops before logging in, naming the variable', async () => {
    sim = await DiscordSimulator.start({ logger: silentLogger });
    const dir = tempDir();
    chmodSync(dir, 0o777);
    const file = join(dir, 'ro.db');
    openDatabase(file).close();
    chmodSync(file, 0o444);
    // root writes through file permissions: run the bot as an unprivileged user then.
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const p = start({ DISCORD_TOKEN: sim.token, DISCORD_API_URL: sim.restUrl, DATABASE_PATH: file, LOG_LEVEL: 'silent', HOME: dir }, asNobody);
    expect(await p.exited).toBe(1);
    expect(p.output()).toContain(`Cannot open the database at DATABASE_PATH=${file}: attempt to write a readonly database`);
    expect(sim.restLog.filter((r) => r.path.includes('/gateway'))).toEqual([]); // never tried to log in
  });

  it('given a bot running on a database then a second process with the same token and database refuses to start, and starts once the first has stopped', async () => {
    sim = await DiscordSimulator.start({ logger: silentLogger });
    const env = { DISCORD_TOKEN: sim.token, DISCORD_API_URL: sim.restUrl, DATABASE_PATH: join(tempDir(), 'shared.db'), LOG_LEVEL: 'info' };
    const first = start(env);
    const firstChild = child!;
    await first.waitFor('logged in');
    const second = start(env);
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain('Another Unicornia process already serves every server (no sharding) on this database');
    expect(second.output()).toContain(`process ${firstChild.pid} on`);
    firstChild.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const third = start(env);
    await third.waitFor('logged in');
  });
});

describe('npm start and sharding', () => {
  it('given SHARD_COUNT=auto then it runs the shards Discord recommends in one process, each server counted on its shard', async () => {
    sim = await DiscordSimulator.start({ logger: silentLogger, shardLimits: { recommendedGuildsPerShard: 1 } });
    const alice = sim.createUser({ username: 'alice' }).id;
    const guilds = [0, 1].map((shard) => {
      const g = sim!.createGuild({ name: `G${shard}`, onShard: [shard, 2] });
      sim!.addMember(g.id, alice);
      return { id: g.id, channel: sim!.createChannel(g.id, { name: 'general' }).id };
    });
    const dbPath = join(tempDir(), 'auto.db');
    const p = start({ DISCORD_TOKEN: sim.token, DISCORD_API_URL: sim.restUrl, DATABASE_PATH: dbPath, LOG_LEVEL: 'info', SHARD_COUNT: 'auto' });
    await p.waitFor('logged in');
    expect(p.output()).toMatch(/"shards":\[0,1\],"shardCount":2/);
    const replies = guilds.map((g) => sim!.waitFor('message', (m) => m.channelId === g.channel && m.authorId === sim!.botUser.id, { timeoutMs: 20_000 }));
    for (const g of guilds) {
      sim.sendMessage({ channelId: g.channel, authorId: alice, content: 'hello' });
      sim.sendMessage({ channelId: g.channel, authorId: alice, content: '!help' });
    }
    await Promise.all(replies);
    child!.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    const db = openDatabase(dbPath);
    for (const g of guilds) expect(new XpReadStore(db, 'x').userRow(g.id, alice)?.xp).toBe(1);
    db.close();
  });

  it('given no SHARD_COUNT and a session Discord refuses as too big (4011) then it says how to shard and exits 1', async () => {
    sim = await DiscordSimulator.start({ logger: silentLogger, shardLimits: { maxGuildsPerShard: 1 } });
    sim.createGuild({ name: 'A' });
    sim.createGuild({ name: 'B' });
    const p = start({ DISCORD_TOKEN: sim.token, DISCORD_API_URL: sim.restUrl, DATABASE_PATH: join(tempDir(), 'z.db') });
    expect(await p.exited).toBe(1);
    expect(p.output()).toContain('a shard may serve at most 2,500 servers (close code 4011)');
    expect(p.output()).toContain('SHARD_COUNT=auto');
  });
});

