import { describe, expect, it } from 'vitest';
import { loadEnv, ConfigError } from '../../src/config/env.js';

describe('environment config', () => {
  it('given nothing then the defaults apply and the token is absent', () => {
    const env = loadEnv({});
    expect(env.DISCORD_TOKEN).toBeUndefined();
    expect(env).toMatchObject({ DATABASE_PATH: 'data/unicornia.db', BOT_PREFIX: '!', OWNER_IDS: [], LOG_LEVEL: 'info', FLUSH_INTERVAL_SECONDS: 30, XP_CACHE_SIZE: 5000 });
  });

  it('given good values then they are parsed, snowflakes kept as strings', () => {
    const env = loadEnv({ DISCORD_TOKEN: ' abc ', OWNER_IDS: '9223372036854775807, 123456789012345678', FLUSH_INTERVAL_SECONDS: '10', BOT_PREFIX: '?' });
    expect(env.DISCORD_TOKEN).toBe('abc');
    expect(env.OWNER_IDS).toEqual(['9223372036854775807', '123456789012345678']);
    expect(env.FLUSH_INTERVAL_SECONDS).toBe(10);
  });

  it('given wrong values then one error names every variable and what it should be', () => {
    let error: unknown;
    try {
      loadEnv({ OWNER_IDS: 'bob', LOG_LEVEL: 'loud', FLUSH_INTERVAL_SECONDS: '0', XP_CACHE_SIZE: 'lots', BOT_PREFIX: '', DISCORD_API_URL: 'ftp://x' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = (error as Error).message;
    for (const v of ['OWNER_IDS: "bob" is not a Discord user id', 'LOG_LEVEL', 'FLUSH_INTERVAL_SECONDS: must be a whole number from 1 to 3,600 (seconds), got "0"', 'XP_CACHE_SIZE', 'BOT_PREFIX: must not be empty', 'DISCORD_API_URL: must be an http(s) URL']) {
      expect(text).toContain(v);
    }
  });

  it.each([
    ['FLUSH_INTERVAL_SECONDS', '3000000', 'must be a whole number from 1 to 3,600 (seconds)'],
    ['FLUSH_INTERVAL_SECONDS', '1e300', 'must be a whole number from 1 to 3,600 (seconds)'],
    ['FLUSH_INTERVAL_SECONDS', '30.5', 'must be a whole number from 1 to 3,600 (seconds)'],
    ['FLUSH_INTERVAL_SECONDS', '-5', 'must be a whole number from 1 to 3,600 (seconds)'],
    ['XP_CACHE_SIZE', '1e9', 'must be a whole number from 100 to 10,000,000 (entries)'],
    ['XP_CACHE_SIZE', '1000000000000', 'must be a whole number from 100 to 10,000,000 (entries)'],
    ['XP_CACHE_SIZE', '99', 'must be a whole number from 100 to 10,000,000 (entries)'],
    ['DATABASE_PATH', '', 'is empty'],
    ['DATABASE_PATH', '   ', 'is empty'],
    ['DATABASE_PATH', ':memory:', 'is an in-memory database'],
    ['DATABASE_PATH', 'file::memory:?cache=shared', 'is a file: URI'],
    ['DATABASE_PATH', 'file:data/bot.db?mode=memory', 'is a file: URI'],
    ['DISCORD_API_URL', 'http://127.0.0.1:8080/api/v10', 'must end in /api, without the version (discord.js adds /v10 itself): http://127.0.0.1:8080/api'],
    ['DISCORD_API_URL', 'https://discord.com/api/v9/', 'must end in /api'],
    ['WEB_PORT', '0', 'must be a port from 1 to 65535, got "0"'],
    ['WEB_PORT', '65536', 'must be a port from 1 to 65535'],
    ['WEB_PORT', 'http', 'must be a port from 1 to 65535'],
    ['OPS_PORT', '80.5', 'must be a port from 1 to 65535'],
    ['WEB_HOST', 'my host', 'must be an address to listen on'],
    ['OPS_HOST', 'a/b', 'must be an address to listen on'],
    ['WEB_PUBLIC_URL', 'levels.example.com', 'must be an http(s) address such as https://levels.example.com'],
    ['WEB_TRUST_PROXY', '11', 'must be a whole number from 0 to 10 (proxies)'],
  ])('given %s=%s then it is refused: %s', (name, value, message) => {
    expect(() => loadEnv({ [name]: value })).toThrow(`${name}: ${message}`);
  });

  it('given no WEB_PORT then the web server is off; given one then it listens on 127.0.0.1 unless told otherwise', () => {
    const off = loadEnv({});
    expect([off.WEB_PORT, off.WEB_HOST, off.OPS_PORT, off.OPS_HOST]).toEqual([undefined, '127.0.0.1', undefined, undefined]);
    expect(loadEnv({ WEB_PORT: '8080' })).toMatchObject({ WEB_PORT: 8080, WEB_HOST: '127.0.0.1', WEB_TRUST_PROXY: 0 });
    expect(loadEnv({ WEB_PUBLIC_URL: 'https://levels.example.com/', WEB_TRUST_PROXY: '1' })).toMatchObject({ WEB_PUBLIC_URL: 'https://levels.example.com', WEB_TRUST_PROXY: 1 });
    expect(loadEnv({ WEB_PORT: '1', WEB_HOST: '::', OPS_PORT: '65535', OPS_HOST: '10.0.0.5' })).toMatchObject({ WEB_PORT: 1, WEB_HOST: '::', OPS_PORT: 65535, OPS_HOST: '10.0.0.5' });
  });

  it('given the edges of each range then they are accepted', () => {
    expect(loadEnv({ FLUSH_INTERVAL_SECONDS: '1', XP_CACHE_SIZE: '100' })).toMatchObject({ FLUSH_INTERVAL_SECONDS: 1, XP_CACHE_SIZE: 100 });
    expect(loadEnv({ FLUSH_INTERVAL_SECONDS: '3600', XP_CACHE_SIZE: '10000000' })).toMatchObject({ FLUSH_INTERVAL_SECONDS: 3600, XP_CACHE_SIZE: 10_000_000 });
    expect(loadEnv({ DISCORD_API_URL: 'http://127.0.0.1:8080/api/' }).DISCORD_API_URL).toBe('http://127.0.0.1:8080/api');
  });

  it('given thousands of wrong values then each variable lists its first few with a count, and each value is shortened', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => `bad${i}${'x'.repeat(100)}`).join(',');
    let text = '';
    try {
      loadEnv({ OWNER_IDS: ids, XP_CACHE_SIZE: '1e9' });
    } catch (e) {
      text = (e as Error).message;
    }
    const lines = text.split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[4]).toBe('  OWNER_IDS: … and 4997 more like these');
    expect(lines[5]).toContain('XP_CACHE_SIZE: must be a whole number from 100 to 10,000,000');
    expect(text.length).toBeLessThan(1_000);
  });
});
