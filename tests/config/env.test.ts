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
    for (const v of ['OWNER_IDS: "bob" is not a Discord user id', 'LOG_LEVEL', 'FLUSH_INTERVAL_SECONDS: must be a whole number above 0, got "0"', 'XP_CACHE_SIZE', 'BOT_PREFIX: must not be empty', 'DISCORD_API_URL: must be an http(s) URL']) {
      expect(text).toContain(v);
    }
  });
});
