/** A real XP core on a temporary SQLite file, a manual clock and a recording level-up port. */
import { createCore, type SqliteCore } from '../../src/core.js';
import type { LevelUpEffect } from '../../src/engine/ports.js';
import type { EngineOptions } from '../../src/engine/xp-engine.js';
import type { FlusherOptions } from '../../src/engine/flusher.js';
import { ManualClock, ManualScheduler } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import type { MessageEvent } from '../../src/engine/events.js';
import { tempDbPath } from './temp.js';

export interface TestCore extends SqliteCore {
  clock: ManualClock;
  scheduler: ManualScheduler;
  effects: LevelUpEffect[];
  /** Set to make the recording port throw (a failing announcement / role change). */
  failEffects: boolean;
}

export function testCore(opts: { dbPath?: string; engine?: Partial<EngineOptions>; flusher?: Partial<FlusherOptions>; writer?: 'inline' | 'worker'; clock?: ManualClock } = {}): TestCore {
  const clock = opts.clock ?? new ManualClock();
  const scheduler = new ManualScheduler(clock);
  const effects: LevelUpEffect[] = [];
  const core = createCore({
    dbPath: opts.dbPath ?? tempDbPath(),
    clock,
    scheduler,
    logger: silentLogger,
    writer: opts.writer ?? 'inline',
    engine: opts.engine ?? {},
    flusher: opts.flusher ?? {},
  });
  const t = Object.assign(core, { clock, scheduler, effects, failEffects: false });
  core.setEffects({
    apply: async (e) => {
      effects.push(e);
      if (t.failEffects) throw new Error('announcement failed');
    },
  });
  return t;
}

export const G1 = '1234567890123456789';
export const G2 = '987654321098765432';
export const U1 = '9223372036854775807';
export const U2 = '1234567890123456788';

export function msg(over: Partial<MessageEvent> = {}): MessageEvent {
  return {
    guildId: G1,
    channelId: '500000000000000001',
    parentId: null,
    categoryId: null,
    userId: U1,
    roleIds: [],
    isBot: false,
    isWebhookOrSystem: false,
    isCommand: false,
    content: 'hello everyone',
    ...over,
  };
}
