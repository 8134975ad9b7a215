/**
 * Issue 12's `shards.3proc_messages_per_s`: `npm start` with SHARD_PROCESSES=3 (discord.js's sharding manager, one
 * process per shard, one SQLite file) against the simulator in this process. 30 000 messages spread over six servers
 * on three shards, as fast as the three processes take them: the time runs from the first message to the last
 * process's answer to a command sent after its last message (a shard's events arrive in order, and a message's XP
 * is counted when it arrives). Afterwards every process has flushed and the stored XP is checked to the message.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { BenchSuite } from './harness.js';
import { round } from './harness.js';
import { DiscordSimulator } from '../src/simulator/index.js';
import { silentLogger } from '../src/util/logger.js';
import { openDatabase } from '../src/storage/database.js';
import { command, startShardedBot } from '../tests/helpers/sharded-bot.js';

const SHARDS = 3;
const TOTAL = 30_000;
const USERS = 50;

export const shardsSuite: BenchSuite = {
  name: 'shards',
  async run(log) {
    const dir = mkdtempSync(join(tmpdir(), 'unicornia-bench-shards-'));
    const sim = await DiscordSimulator.start({ logger: silentLogger, shardLimits: { maxConcurrency: 16 } });
    const users = Array.from({ length: USERS }, (_, i) => sim.createUser({ username: `u${i}` }).id);
    const owner = sim.createUser({ username: 'owner' }).id;
    const guilds = Array.from({ length: SHARDS * 2 }, (_, i) => {
      const g = sim.createGuild({ name: `G${i}`, onShard: [i % SHARDS, SHARDS] });
      for (const u of [owner, ...users]) sim.addMember(g.id, u);
      return { id: g.id, shard: i % SHARDS, channel: sim.createChannel(g.id, { name: 'general' }).id };
    });
    const dbPath = join(dir, 'bench.db');
    const db = openDatabase(dbPath);
    // Every message counts (no cooldown) and nothing is announced: the figure is the XP path, not Discord replies.
    for (const g of guilds) db.prepare(`INSERT INTO XpSettings (GuildId, CooldownSeconds, AnnounceMode) VALUES (?, 0, 'off')`).run(BigInt(g.id));
    db.close();
    const bot = startShardedBot({ DISCORD_TOKEN: sim.token, DISCORD_API_URL: sim.restUrl, DATABASE_PATH: dbPath, SHARD_COUNT: '3', SHARD_PROCESSES: '3', FLUSH_INTERVAL_SECONDS: '2' });
    try {
      await Promise.all([0, 1, 2].map((s) => bot.up(s)));
      const expected = new Map<string, number>();
      const t0 = performance.now();
      for (let i = 0; i < TOTAL; i++) {
        const g = guilds[i % guilds.length]!;
        const u = users[(i * 7) % USERS]!;
        sim.sendMessage({ channelId: g.channel, authorId: u, content: `m${i}` });
        expected.set(`${g.id}:${u}`, (expected.get(`${g.id}:${u}`) ?? 0) + 1);
        if (i % 1000 === 999) await sim.drain();
      }
      await Promise.all([0, 1, 2].map((s) => command(sim, guilds.find((g) => g.shard === s)!.channel, owner, '!help', 600_000)));
      const ms = performance.now() - t0;
      const perS = TOTAL / (ms / 1000);
      log(`${TOTAL} messages over ${SHARDS} processes in ${round(ms)} ms = ${Math.round(perS)} messages/s`);
      if ((await bot.stop()) !== 0) throw new Error(`the sharding manager exited uncleanly:\n${bot.output().slice(-2000)}`);
      const read = new Database(dbPath, { readonly: true });
      read.defaultSafeIntegers(true);
      const rows = read.prepare('SELECT GuildId, UserId, Xp FROM UserXpStats').all() as { GuildId: bigint; UserId: bigint; Xp: bigint }[];
      read.close();
      const wrong = rows.filter((r) => Number(r.Xp) !== (expected.get(`${r.GuildId}:${r.UserId}`) ?? 0));
      if (wrong.length > 0 || rows.length !== expected.size) throw new Error(`stored XP differs from the messages sent: ${wrong.length} rows wrong, ${rows.length} of ${expected.size} rows`);
      log(`stored XP checked: ${rows.length} (server, member) rows, each exactly its messages`);
      return [{ name: 'shards.3proc_messages_per_s', unit: 'messages/s', value: Math.round(perS) }];
    } finally {
      bot.destroy();
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
