/** Level changes under failures and races: payments that fail, curve changes, quick successive level-ups. */
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/database.js';
import { XpReadStore } from '../../src/storage/xp-reads.js';
import { XpWriteStore } from '../../src/storage/xp-writes.js';
import { PrivacyWriteStore } from '../../src/storage/privacy-writes.js';
import { XpEngine } from '../../src/engine/xp-engine.js';
import type { LevelUpEffect, XpWrites } from '../../src/engine/ports.js';
import { ManualClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { totalXpForLevel } from '../../src/levels/curve.js';
import { tempDbPath } from '../helpers/temp.js';

const G = '1234567890123456789';
const U = '9223372036854775807';

function setup() {
  const db = openDatabase(tempDbPath());
  const store = new XpWriteStore(db, 'me');
  const reads = new XpReadStore(db, 'me');
  let failPayments = 0;
  const writes: XpWrites = {
    flush: async (b) => store.flush(b),
    recordLevelUp: async (g, u, levelUp) => {
      if (failPayments > 0) {
        failPayments--;
        throw new Error('SQLITE_BUSY');
      }
      return store.recordLevelUp(g, u, levelUp);
    },
    queueRoleChanges: async (g, u, roles, cause, at) => store.queueRoleChanges(g, u, roles, cause, at),
  };
  const effects: LevelUpEffect[] = [];
  const log: string[] = [];
  let applyDelayMs = 0;
  const engine = new XpEngine({
    reads,
    writes,
    effects: {
      apply: async (e) => {
        log.push(`start ${e.newLevel}`);
        if (applyDelayMs) await new Promise((r) => setTimeout(r, applyDelayMs));
        effects.push(e);
        log.push(`end ${e.newLevel}`);
      },
    },
    clock: new ManualClock(),
    logger: silentLogger,
  });
  return {
    db, store, reads, engine, effects, log,
    failNextPayments: (n: number) => (failPayments = n),
    slowEffects: (ms: number) => (applyDelayMs = ms),
  };
}

describe('level changes', () => {
  it('given a payment that fails every retry then the next level-up pays the missed levels and catches up their roles', async () => {
    const t = setup();
    for (const l of [4, 5, 6]) t.store.setCurrencyReward(G, l, 100 * l);
    t.store.setRoleReward(G, 5, '500', false);
    t.engine.adjustXp(G, U, { set: totalXpForLevel(3) });
    await t.engine.idle();
    t.failNextPayments(3);
    t.engine.adjustXp(G, U, { set: totalXpForLevel(5) });
    await t.engine.idle();
    expect(t.reads.balance(U)).toBe(0);
    t.engine.adjustXp(G, U, { set: totalXpForLevel(6) });
    await t.engine.idle();
    expect(t.reads.balance(U)).toBe(400 + 500 + 600);
    expect(t.effects.at(-1)).toMatchObject({ oldLevel: 5, newLevel: 6, currencyPaid: 1500, rolesToAdd: ['500'] });
    t.db.close();
  });

  it('given another process erases the member before their level-up is recorded then nothing is paid or announced, and after the engine applies it the member levels anew', async () => {
    const t = setup();
    t.store.setCurrencyReward(G, 2, 100);
    const otherDb = openDatabase(t.db.name);
    const otherProcess = new PrivacyWriteStore(otherDb);
    t.engine.adjustXp(G, U, { set: totalXpForLevel(2) });
    otherProcess.eraseMember(U, Date.now()); // committed before the level-up's turn; this engine has not applied it yet
    await t.engine.idle();
    expect(t.reads.balance(U)).toBe(0);
    expect(t.reads.userRow(G, U)).toBeNull();
    expect(t.effects).toEqual([]);
    // Once applied, the erasure is part of the engine's view: the member's new level-up is paid.
    t.engine.applyErasures();
    t.engine.adjustXp(G, U, { set: totalXpForLevel(2) });
    await t.engine.idle();
    expect(t.reads.balance(U)).toBe(100);
    expect(t.effects).toMatchObject([{ newLevel: 2, currencyPaid: 100 }]);
    otherDb.close();
    t.db.close();
  });

  it('given a curve change that lifts members several levels then their next level-up pays and gives what they skipped', async () => {
    const t = setup();
    for (let l = 1; l <= 30; l++) t.store.setCurrencyReward(G, l, 1);
    t.store.setRoleReward(G, 7, '700', false);
    t.engine.adjustXp(G, U, { set: totalXpForLevel(5) }); // 270 XP, level 5 on Nadeko's curve
    await t.engine.idle();
    t.store.updateSettings(G, { curve: { a: 1, c: 0 } });
    t.engine.reloadGuild(G); // 270 XP is level 22 on a=1, c=0: no level-up fires for a settings change
    t.engine.adjustXp(G, U, { add: 23 }); // → level 23
    await t.engine.idle();
    expect(t.reads.balance(U)).toBe(23);
    expect(t.effects.at(-1)).toMatchObject({ newLevel: 23, currencyPaid: 18, rolesToAdd: ['700'] });
    t.db.close();
  });

  it('given two level-ups in quick succession then their effects run one after the other, in order', async () => {
    const t = setup();
    t.store.setRoleReward(G, 1, '100', false);
    t.store.setRoleReward(G, 2, '200', false);
    t.slowEffects(20);
    t.engine.adjustXp(G, U, { set: totalXpForLevel(1) });
    t.engine.adjustXp(G, U, { set: totalXpForLevel(2) });
    await t.engine.idle();
    expect(t.effects.map((e) => [e.newLevel, e.rolesToAdd])).toEqual([[1, ['100']], [2, ['200']]]);
    expect(t.log).toEqual(['start 1', 'end 1', 'start 2', 'end 2']); // never two role edits of one member at once
    t.db.close();
  });
});
