/**
 * The PostgreSQL writer: the same modules and methods as the SQLite writer (`../write-modules.ts`), on the pool.
 * No worker thread: a PostgreSQL flush waits on the server, not on the event loop.
 */
import type { Writer } from '../write-modules.js';
import type { PgPool } from './pool.js';
import { PgXpWrites } from './xp-store.js';
import { PgRoleQueueWrites } from './role-queue.js';
import { PgShopWrites, PgWalletWrites } from './shop-wallet.js';
import { PgClubWrites } from './clubs.js';
import { PgBotState, PgShardClaims } from './claims-state.js';
import { PgGuildJobWrites } from './guild-jobs.js';
import { PgPrivacyWrites } from './privacy.js';
import { PgWebWrites } from './web.js';
import { PgWebhookOutbox } from './webhook-outbox.js';
import { PgHistoryWrites, PgPeriodSource } from './history.js';
import { PgXpEventStore } from './xp-events.js';
import { PgSeasonWrites } from './seasons.js';
import { PgDecayWrites } from './decay.js';

export function pgWriter(pool: PgPool, writerId: string, wallNow: () => number = Date.now): Writer {
  return {
    xp: new PgXpWrites(pool, writerId, wallNow),
    webhooks: new PgWebhookOutbox(pool),
    roles: new PgRoleQueueWrites(pool),
    jobs: new PgGuildJobWrites(pool),
    shop: new PgShopWrites(pool, wallNow),
    wallet: new PgWalletWrites(pool, wallNow),
    clubs: new PgClubWrites(pool, wallNow),
    claims: new PgShardClaims(pool),
    state: new PgBotState(pool),
    privacy: new PgPrivacyWrites(pool),
    web: new PgWebWrites(pool),
    history: new PgHistoryWrites(pool),
    xpEvents: new PgXpEventStore(pool),
    seasons: new PgSeasonWrites(pool),
    decay: new PgDecayWrites(pool),
    // A period board's sorted read (src/boards): on the pool, like every PostgreSQL read.
    boards: new PgPeriodSource(pool),
    close: async () => {},
  };
}
