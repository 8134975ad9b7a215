/**
 * Two processes on one database, each holding its own period boards (DESIGN §15.2): whatever order their flushes,
 * leaves and returns come in, every board either process shows is the rows' board. On SQLite (one file, two
 * connections) and on PostgreSQL.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Store, SqliteStore, PgStore } from '../../src/storage/store.js';
import type { FlushBatch } from '../../src/engine/ports.js';
import { mulberry32 } from '../../src/util/prng.js';
import { openTwoProcesses, STORE_KINDS } from '../storage/contract/stores.js';

const G = '1000000000000000007';
const WEEK = 10_020_458;
const MONTH = 20_000_683;
const user = (i: number) => String(9_100_000_000_000_000_000n + BigInt(i));

const opened: Store[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

/** The period's board as the rows hold it: members who have not left, XP descending, then id. */
async function truth(s: Store, period: number): Promise<{ userId: string; xp: number }[]> {
  const col = period === WEEK ? 'Week' : 'Month';
  const sql = (g: string, p: string) => `SELECT CAST(UserId AS TEXT) AS u, CASE WHEN ${col}Id = ${p} THEN ${col}Xp ELSE Prev${col}Xp END AS x
    FROM UserXpStats WHERE GuildId = ${g} AND HasLeft = 0 AND (${col}Id = ${p} OR Prev${col}Id = ${p})`;
  const rows =
    s.kind === 'sqlite'
      ? ((s as unknown as SqliteStore).db.prepare(sql('@g', '@p')).all({ g: BigInt(G), p: period }) as { u: string; x: number }[])
      : ((await (s as PgStore).pool.query(sql('$1', '$2'), [G, period])).rows as { u: string; x: string }[]);
  return rows
    .map((r) => ({ userId: String(r.u), xp: Number(r.x) }))
    .sort((a, b) => b.xp - a.xp || (BigInt(a.userId) < BigInt(b.userId) ? -1 : 1));
}

describe.each(STORE_KINDS)('period boards held by two processes on %s', (kind) => {
  it('given interleaved flushes, leaves and returns from both processes then both always show the rows\' boards', async () => {
    const [a, b] = await openTwoProcesses(kind, opened);
    const random = mulberry32(kind === 'sqlite' ? 11 : 12);
    const pick = (n: number) => Math.floor(random() * n);
    const seq = new Map<Store, number>([
      [a, 0],
      [b, 0],
    ]);
    for (let step = 0; step < 40; step++) {
      const p = random() < 0.5 ? a : b;
      const roll = random();
      if (roll < 0.6) {
        const gains = Array.from({ length: 1 + pick(8) }, () => [pick(30), pick(9) - 2] as [number, number]).filter(([, xp]) => xp !== 0);
        const batch: FlushBatch = {
          seq: seq.set(p, seq.get(p)! + 1).get(p)!,
          rows: gains.map(([u, xp]) => ({ guildId: G, userId: user(u), xp, awarded: xp < 0 ? xp : 0 })),
          voice: [],
          periods: gains.flatMap(([u, xp]) => [WEEK, MONTH].map((period) => ({ guildId: G, userId: user(u), period, xp }))),
        };
        await p.writer.xp.flush(batch);
      } else await p.writer.xp.setMembership(G, user(pick(30)), roll < 0.8, 1000 + step);
      for (const period of [WEEK, MONTH]) {
        const expected = await truth(a, period);
        for (const q of [a, b]) {
          const got = await q.reads.periods.leaderboard(G, period, 0, 100);
          expect(got).toEqual(expected);
          expect(await q.reads.periods.memberCount(G, period)).toBe(expected.length);
        }
      }
    }
  });
});
