/** Per-channel XP and cooldown (DESIGN §2.1 steps 4–6): channel, thread parent, category; 0 excludes. */
import { afterEach, describe, expect, it } from 'vitest';
import { G1, U1, U2, msg, testCore, type TestCore } from '../helpers/core.js';
import { openDatabase } from '../../src/storage/database.js';
import { tempDbPath } from '../helpers/temp.js';

let core: TestCore;
afterEach(async () => {
  await core?.stop();
});

const FAST = '600000000000000001';
const CATEGORY = '600000000000000002';
const QUIET = '600000000000000003';
const PLAIN = '600000000000000004';

describe('channel rates', () => {
  it('given a channel rate then messages there earn its XP at its cooldown, elsewhere the server cooldown still counts from the last counted message', async () => {
    core = testCore();
    await core.writer.xp.setChannelRate(G1, FAST, { xpPerMessage: 5, cooldownSeconds: 10 });
    const e = core.engine;
    expect((await e.handleMessage(msg({ channelId: FAST })))?.gained).toBe(5);
    core.clock.advance(9_999);
    expect(e.handleMessage(msg({ channelId: FAST }))).toBeNull();
    core.clock.advance(1);
    expect((await e.handleMessage(msg({ channelId: FAST })))?.gained).toBe(5); // 10 s since the last counted one
    core.clock.advance(30_000);
    expect(e.handleMessage(msg({ channelId: PLAIN }))).toBeNull(); // 30 s < the server's 60 s
    core.clock.advance(30_000);
    expect((await e.handleMessage(msg({ channelId: PLAIN })))?.gained).toBe(1); // server XP per message
  });

  it('given a rate on a category or on a thread parent then its channels, threads and forum posts follow it; the channel\'s own rate wins', async () => {
    core = testCore();
    await core.writer.xp.updateSettings(G1, { cooldownSeconds: 0 });
    await core.writer.xp.setChannelRate(G1, CATEGORY, { xpPerMessage: 7, cooldownSeconds: null });
    await core.writer.xp.setChannelRate(G1, FAST, { xpPerMessage: 3, cooldownSeconds: null });
    const e = core.engine;
    expect((await e.handleMessage(msg({ channelId: PLAIN, parentId: CATEGORY, categoryId: CATEGORY })))?.gained).toBe(7);
    expect((await e.handleMessage(msg({ channelId: '700000000000000001', parentId: PLAIN, categoryId: CATEGORY })))?.gained).toBe(7); // thread
    expect((await e.handleMessage(msg({ channelId: '700000000000000002', parentId: FAST, categoryId: CATEGORY })))?.gained).toBe(3); // post
    expect((await e.handleMessage(msg({ channelId: FAST, parentId: CATEGORY, categoryId: CATEGORY })))?.gained).toBe(3);
  });

  it('given a rate of 0 then messages and voice there earn nothing, and the rate is multiplied like the server XP', async () => {
    core = testCore();
    await core.writer.xp.setChannelRate(G1, QUIET, { xpPerMessage: 0, cooldownSeconds: null });
    await core.writer.xp.setChannelRate(G1, FAST, { xpPerMessage: 3, cooldownSeconds: 0 });
    await core.writer.xp.setMultiplier(G1, 'channel', FAST, 1500);
    const e = core.engine;
    expect(e.handleMessage(msg({ channelId: QUIET }))).toBeNull();
    expect(e.handleMessage(msg({ channelId: '700000000000000003', parentId: QUIET }))).toBeNull();
    expect((await e.handleMessage(msg({ channelId: FAST })))?.gained).toBe(5); // 3 × 1.5 = 4.5 → 5
    const voice = (channelId: string, categoryId: string | null) => [
      {
        guildId: G1,
        afkChannelId: null,
        channels: [
          {
            channelId,
            categoryId,
            isStage: false,
            members: [U1, U2].map((userId) => ({ userId, roleIds: [], isBot: false, selfDeaf: false, serverDeaf: false, selfMute: false, serverMute: false, suppressed: false })),
          },
        ],
      },
    ];
    expect(e.voiceTick(voice(QUIET, null))).toBe(0);
    expect(e.voiceTick(voice(PLAIN, QUIET))).toBe(0); // a voice channel in a category of rate 0
    expect(e.voiceTick(voice(PLAIN, null))).toBe(2);
  });

  it('given a member quiet longer than every cooldown of the guild then sweep drops their state, not before', async () => {
    core = testCore();
    await core.writer.xp.setChannelRate(G1, QUIET, { xpPerMessage: 2, cooldownSeconds: 600 });
    const e = core.engine;
    e.handleMessage(msg({ channelId: QUIET }));
    const b = e.takeBatch()!;
    await core.writer.xp.flush(b);
    e.settleBatch(b, true);
    core.engine['cache'].clear(); // the cached total is gone; only the cooldown holds the state
    core.clock.advance(599_999);
    expect(e.sweep()).toBe(0);
    core.clock.advance(1);
    expect(e.sweep()).toBe(1);
  });

  it('given the migration then a rate outside 0–1000 XP or 0–86 400 s is refused by the database too', () => {
    const db = openDatabase(tempDbPath());
    try {
      expect(() => db.prepare('INSERT INTO XpChannelRate (GuildId, ChannelId, XpPerMessage, CooldownSeconds) VALUES (1, 2, 1001, NULL)').run()).toThrow(/CHECK/);
      expect(() => db.prepare('INSERT INTO XpChannelRate (GuildId, ChannelId, XpPerMessage, CooldownSeconds) VALUES (1, 2, 5, 86401)').run()).toThrow(/CHECK/);
    } finally {
      db.close();
    }
  });
});
