/**
 * The read API's reuse of answers (DESIGN §14.3) against its own clock: an answer is reused for 5 s and no longer,
 * however quickly the next request follows (lru-cache keeps a clock reading for `ttlResolution` ms by default).
 */
import { describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { apiRoutes } from '../../src/web/api.js';
import type { WebReads } from '../../src/web/ports.js';
import { NADEKO_CURVE } from '../../src/levels/curve.js';

describe('read API answer reuse', () => {
  it('given an answer reused for 5 s then a request right after the 5 s reads again, one just before does not', async () => {
    let now = 1_000_000;
    let reads = 0;
    const fake: WebReads = {
      guild: (key) => ({ guildId: key, isPublic: true, slug: null, name: 'G', iconUrl: null, curve: NADEKO_CURVE }),
      memberCount: () => 1,
      board: () => [],
      member: (_g, userId) => ({ rank: 1, userId, xp: 100 + reads++, totalXp: 100, name: 'm', avatarUrl: null, hidden: false }),
      search: () => [],
      rewardRoles: () => [],
      apiKeyGuild: () => null,
    };
    const app = Fastify();
    await apiRoutes(fake, { cacheMs: 5000, perMinute: 1000, now: () => now })(app);
    const xp = async () => (await app.inject({ method: 'GET', url: '/api/v1/guilds/1/members/2' })).json().xp as number;
    try {
      expect(await xp()).toBe(100);
      for (let round = 1; round <= 20; round++) {
        now += 4999;
        expect(await xp()).toBe(100 + round - 1); // still the answer read at the start of this round
        now += 2;
        expect(await xp()).toBe(100 + round); // 5 001 ms on: read again at once
      }
    } finally {
      await app.close();
    }
  });
});
