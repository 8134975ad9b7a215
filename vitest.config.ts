import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // One real PostgreSQL server for the run (or TEST_DATABASE_URL's): the store tests run on both stores. The
    // headless Chromium of the browser tests is unpacked once (tests/setup/chromium.ts).
    globalSetup: ['tests/setup/postgres.ts', 'tests/setup/chromium.ts'],
    // Simulator tests start real HTTP/WebSocket servers and real discord.js clients; give them room on 2 cores.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
