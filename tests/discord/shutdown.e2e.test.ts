/**
 * Shutdown in the order that loses nothing (DESIGN §2.2): commands that arrive once it has begun are told the bot
 * is restarting and change nothing; commands already running finish within a bound and their changes are
 * written; one that runs past the bound is refused by the closed engine and says so.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { botWorld, type BotWorld } from '../helpers/bot.js';
import { defineCommand, type AnyCommand } from '../../src/discord/commands/types.js';
import { openDatabase } from '../../src/storage/database.js';
import { XpReadStore } from '../../src/storage/xp-reads.js';
import { RESTARTING } from '../../src/discord/command-gate.js';

let w: BotWorld | undefined;
afterEach(async () => {
  await w?.sim.stop(); // the bot was stopped by the test
  w = undefined;
});

/** A command that, like `xp add` waiting on Discord, pauses before it changes XP; the test decides when it goes on. */
function pausedAdd() {
  let release!: () => void;
  let started!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const running = new Promise<void>((r) => (started = r));
  const command = defineCommand({
    path: ['test', 'slowadd'],
    description: 'Adds 1 000 XP after a pause',
    options: [] as const,
    example: {},
    permission: 'everyone',
    handler: async (ctx) => {
      started();
      await released;
      const r = await ctx.app.core.engine.adjustXp(ctx.guildId!, ctx.user.id, { add: 1000 });
      return { content: `now has ${r.totalXp.toLocaleString('en-US')} XP` };
    },
  }) as AnyCommand;
  return { command, release, running };
}

function storedXp(world: BotWorld, userId: string): number | undefined {
  const db = openDatabase(world.dbPath);
  try {
    return new XpReadStore(db, 'check').userRow(world.guildId, userId)?.xp;
  } finally {
    db.close();
  }
}

describe('shutdown', () => {
  it('given a command running when shutdown begins then it finishes and is written; a command arriving after is told the bot is restarting', async () => {
    const slow = pausedAdd();
    w = await botWorld({ extraCommands: [slow.command] });
    const reply = w.prefix(w.alice, '!test slowadd');
    await slow.running;
    const stopping = w.bot.stop();
    const late = await w.prefix(w.admin, `!unicornia guild xp add <@${w.bob}> 500`);
    expect(late.content).toBe(RESTARTING);
    slow.release();
    expect((await reply).content).toBe('now has 1,000 XP');
    expect(await stopping).toBe(true);
    expect(storedXp(w, w.alice)).toBe(1000);
    expect(storedXp(w, w.bob)).toBeUndefined();
  });

  it('given messages during shutdown then they earn nothing', async () => {
    const slow = pausedAdd();
    w = await botWorld({ extraCommands: [slow.command] });
    void w.prefix(w.alice, '!test slowadd');
    await slow.running;
    const stopping = w.bot.stop();
    await w.say(w.bob, 'hello while stopping');
    slow.release();
    expect(await stopping).toBe(true);
    expect(storedXp(w, w.bob)).toBeUndefined();
  });

  it('given a command still running past the bound then the closed engine refuses its change and it says the bot is restarting', async () => {
    const slow = pausedAdd();
    w = await botWorld({ extraCommands: [slow.command], shutdownCommandsMs: 20 });
    const reply = w.prefix(w.alice, '!test slowadd');
    await slow.running;
    const engine = w.core.engine;
    const close = engine.close.bind(engine);
    engine.close = () => {
      close();
      slow.release(); // Discord answers the command only after the final flush has begun
    };
    expect(await w.bot.stop()).toBe(true);
    expect((await reply).content).toBe(RESTARTING);
    expect(storedXp(w, w.alice)).toBeUndefined();
  });
});
