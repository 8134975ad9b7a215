import { describe, expect, it } from 'vitest';
import { parseShardIds, planShards, ShardPlanError, type GatewayFacts } from '../../src/sharding/plan.js';
import { loadEnv } from '../../src/config/env.js';

const facts = (guilds: number, recommendedShards = Math.max(1, Math.ceil(guilds / 1000))): GatewayFacts => ({ guilds, recommendedShards, maxConcurrency: 1 });

describe('the shard plan', () => {
  it.each([
    [2499, 1],
    [2500, 3],
    [7400, 8],
  ])('given no SHARD_COUNT and a bot in %i servers then it runs %i shard(s): one below 2 500, Discord\'s recommendation from there', (guilds, count) => {
    expect(planShards({ count: null, ids: null, processes: 1 }, facts(guilds))).toEqual({ count, processes: [Array.from({ length: count }, (_, i) => i)] });
  });

  it('given SHARD_COUNT=auto then Discord\'s recommendation is taken even for a small bot, and never below 2 500 servers per shard', () => {
    expect(planShards({ count: 'auto', ids: null, processes: 1 }, facts(1500)).count).toBe(2);
    expect(planShards({ count: 'auto', ids: null, processes: 1 }, facts(9000, 1)).count).toBe(4);
  });

  it('given several processes then the host\'s shards are dealt round-robin, one list per process', () => {
    expect(planShards({ count: 8, ids: [4, 5, 6, 7], processes: 2 }, null)).toEqual({ count: 8, processes: [[4, 6], [5, 7]] });
    expect(planShards({ count: 3, ids: null, processes: 3 }, null).processes).toEqual([[0], [1], [2]]);
  });

  it('given more processes than a small bot needs shards then each process still gets one', () => {
    expect(planShards({ count: null, ids: null, processes: 3 }, facts(10))).toEqual({ count: 3, processes: [[0], [1], [2]] });
  });

  it('given more processes than this host has shards, or ids past the count, then it is refused with what to change', () => {
    expect(() => planShards({ count: 2, ids: null, processes: 3 }, null)).toThrow(new ShardPlanError('SHARD_PROCESSES=3 but this host runs 2 shards: each process needs at least one. Set SHARD_PROCESSES to at most 2 or raise SHARD_COUNT.'));
    expect(() => planShards({ count: 'auto', ids: [5], processes: 1 }, facts(10))).toThrow('SHARD_IDS names shard 5, but there are only 1 shards (0 to 0).');
  });

  it('given shard id lists then ranges and duplicates are read, and anything else is named', () => {
    expect(parseShardIds('4-7, 0,2,2')).toEqual({ ids: [0, 2, 4, 5, 6, 7] });
    expect(parseShardIds('7-4')).toEqual({ error: 'the range 7-4 runs backwards' });
    expect(parseShardIds('one')).toEqual({ error: '"one" is not a shard id or a range like 4-7' });
  });
});

describe('the sharding variables', () => {
  it('given nothing then no count is fixed, every shard, one process', () => {
    expect(loadEnv({})).toMatchObject({ SHARD_COUNT: null, SHARD_IDS: null, SHARD_PROCESSES: 1 });
  });

  it('given good values then they are parsed', () => {
    expect(loadEnv({ SHARD_COUNT: '8', SHARD_IDS: '4-7', SHARD_PROCESSES: '2' })).toMatchObject({ SHARD_COUNT: 8, SHARD_IDS: [4, 5, 6, 7], SHARD_PROCESSES: 2 });
    expect(loadEnv({ SHARD_COUNT: 'AUTO' }).SHARD_COUNT).toBe('auto');
  });

  it.each([
    [{ SHARD_COUNT: '0' }, 'SHARD_COUNT: must be auto or a whole number from 1 to 10,000, got "0"'],
    [{ SHARD_COUNT: 'many' }, 'SHARD_COUNT: must be auto or a whole number from 1 to 10,000, got "many"'],
    [{ SHARD_PROCESSES: '65' }, 'SHARD_PROCESSES: must be a whole number from 1 to 64 (processes), got "65"'],
    [{ SHARD_IDS: '0-1' }, 'SHARD_IDS: needs a fixed SHARD_COUNT (a number, the same on every host)'],
    [{ SHARD_IDS: '0-1', SHARD_COUNT: 'auto' }, 'SHARD_IDS: needs a fixed SHARD_COUNT'],
    [{ SHARD_IDS: '2', SHARD_COUNT: '2' }, 'SHARD_IDS: must be shard ids from 0 to 1 (SHARD_COUNT=2)'],
    [{ SHARD_IDS: 'x', SHARD_COUNT: '2' }, 'SHARD_IDS: must list shard ids like 0,1,2 or 4-7: "x" is not a shard id'],
  ])('given %j then it is refused: %s', (env, message) => {
    expect(() => loadEnv(env)).toThrow(message);
  });
});
