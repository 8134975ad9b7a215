/**
 * Exports and erasures on PostgreSQL (DESIGN §13): the twins of `../privacy-reads.ts` and `../privacy-writes.ts`,
 * driven by the same catalog, with the same rows and summaries (tests/storage/contract).
 *
 * An erasure takes an exclusive advisory lock that every flush and level-up record takes shared (`ERASURE_LOCK`): a
 * write that read the erasures before one committed cannot write afterwards, and erasure ids commit in id order, so
 * an engine that has seen erasure n has seen every erasure before it.
 */
import type { QueryResult } from 'pg';
import { idOf, num } from '../ids.js';
import { ANONYMOUS_ID, PRIVACY_CATALOG, type Scope, type TablePrivacy } from '../privacy-catalog.js';
import type { ExportRow, PrivacyReadStore } from '../privacy-reads.js';
import { ERASURE_KEEP_MS, type ErasureSummary, type PrivacyWriteStore } from '../privacy-writes.js';
import type { Port } from '../ports.js';
import { pgMigrations } from './migrations.js';
import { withRetry, type PgClient, type PgPool } from './pool.js';
import { changes, one, rows } from './sql.js';

/** The advisory lock between erasures (exclusive) and flushes and level-up records (shared): "eras" in ASCII. */
export const ERASURE_LOCK = 0x65726173;

/** The catalog's anonymous id (0) as the driver sends ids. */
const ANONYMOUS = ANONYMOUS_ID.toString();

type ScopeName = 'member' | 'guild' | 'memberInGuild';
type Named = { user?: string; guild?: string };

/**
 * The catalog's clauses name their parameters `@user` and `@guild`; PostgreSQL numbers them, and refuses a
 * parameter a statement does not use, so each statement gets only the ones it names.
 */
export function bindNamed(sql: string, named: Named): { text: string; values: string[] } {
  const order: (keyof Named)[] = [];
  const text = sql.replace(/@(user|guild)\b/g, (_m, name: keyof Named) => {
    if (!order.includes(name)) order.push(name);
    return `$${order.indexOf(name) + 1}::bigint`;
  });
  return { text, values: order.map((n) => named[n]!) };
}

/**
 * PostgreSQL folds unquoted names to lower case; an export names its columns as the schema spells them (as SQLite
 * does), so the same member gets the same file from either store. Every column is spelt in the migrations.
 */
const COLUMN_NAMES: ReadonlyMap<string, string> = (() => {
  const names = new Map<string, string>();
  for (const m of pgMigrations) for (const word of m.sql.match(/\b[A-Z][A-Za-z]*[a-z][A-Za-z]*\b/g) ?? []) names.set(word.toLowerCase(), word);
  return names;
})();

const INT8 = 20;

/** Like the SQLite export: snowflake columns (…Id) as strings, other integers as numbers when exact. */
function plainRows(result: QueryResult, unexported: readonly string[]): ExportRow[] {
  const fields = result.fields
    .map((f) => ({ key: f.name, name: COLUMN_NAMES.get(f.name) ?? f.name, int8: f.dataTypeID === INT8 }))
    .filter((f) => !unexported.includes(f.name));
  return (result.rows as Record<string, unknown>[]).map((row) => {
    const out: ExportRow = {};
    for (const f of fields) {
      const value = row[f.key];
      if (f.int8 && typeof value === 'string') {
        const n = Number(value);
        out[f.name] = /Id$/.test(f.name) || !Number.isSafeInteger(n) ? value : n;
      } else {
        out[f.name] = value as string | number | null;
      }
    }
    return out;
  });
}

export class PgPrivacyReads implements Port<PrivacyReadStore> {
  constructor(private readonly pool: PgPool) {}

  memberRows(userId: string): Promise<Record<string, ExportRow[]>> {
    return this.read('member', { user: userId });
  }

  guildRows(guildId: string): Promise<Record<string, ExportRow[]>> {
    return this.read('guild', { guild: guildId });
  }

  async retentionGuilds(): Promise<{ guildId: string; days: number }[]> {
    const found = await rows<{ g: string; d: number }>(this.pool, 'SELECT GuildId AS g, RetentionDays AS d FROM XpSettings WHERE RetentionDays IS NOT NULL ORDER BY GuildId', []);
    return found.map((r) => ({ guildId: idOf(r.g), days: num(r.d) }));
  }

  async leftBy(guildId: string, leftBy: number, afterId: string, limit: number): Promise<string[]> {
    const found = await rows<{ u: string }>(
      this.pool,
      'SELECT UserId AS u FROM UserXpStats WHERE GuildId = $1 AND HasLeft = 1 AND LeftAt <= $2 AND UserId > $3 ORDER BY UserId LIMIT $4',
      [guildId, leftBy, afterId, limit],
    );
    return found.map((r) => idOf(r.u));
  }

  /** Every table's rows in one snapshot (REPEATABLE READ), tables with no row left out. */
  private async read(scope: 'member' | 'guild', named: Named): Promise<Record<string, ExportRow[]>> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const out: Record<string, ExportRow[]> = {};
      for (const [table, decl] of Object.entries(PRIVACY_CATALOG) as [string, TablePrivacy][]) {
        const s = decl[scope];
        if (!s) continue;
        const q = bindNamed(`SELECT * FROM ${table} WHERE ${s.where}`, named);
        const found = plainRows(await c.query(q.text, q.values), decl.unexported ?? []);
        if (found.length > 0) out[table] = found;
      }
      await c.query('COMMIT');
      return out;
    } catch (error) {
      await c.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      c.release();
    }
  }
}

export class PgPrivacyWrites implements Port<PrivacyWriteStore> {
  constructor(private readonly pool: PgPool) {}

  eraseMember(userId: string, at: number): Promise<ErasureSummary> {
    return withRetry(this.pool, async (c): Promise<ErasureSummary> => {
      await record(c, userId, null, at);
      // The member's row first, as a purchase or a club change of theirs locks it: they wait for each other.
      await c.query('SELECT 1 FROM DiscordUser WHERE UserId = $1 FOR UPDATE', [userId]);
      const summary = emptySummary();
      for (const club of await rows<{ id: number; name: string }>(c, 'SELECT Id AS id, Name AS name FROM Clubs WHERE OwnerId = $1 ORDER BY Id FOR UPDATE', [userId])) {
        const admin = await one<{ u: string }>(c, 'SELECT UserId AS u FROM DiscordUser WHERE ClubId = $1 AND IsClubAdmin = 1 AND UserId != $2 ORDER BY UserId LIMIT 1', [club.id, userId]);
        if (admin) {
          await c.query('UPDATE Clubs SET OwnerId = $1 WHERE Id = $2', [admin.u, club.id]);
          await c.query('UPDATE DiscordUser SET IsClubAdmin = 0 WHERE UserId = $1', [admin.u]);
          summary.clubsHandedOver.push({ name: club.name, newOwnerId: idOf(admin.u) });
        } else {
          await c.query('UPDATE DiscordUser SET ClubId = NULL, IsClubAdmin = 0 WHERE ClubId = $1', [club.id]);
          await c.query('DELETE FROM Clubs WHERE Id = $1', [club.id]);
          summary.clubsDisbanded.push(club.name);
        }
      }
      // The ledger keeps its amounts under the anonymous id, and one row takes the erased balance out of it.
      const balance = await one<{ b: string }>(c, 'SELECT CurrencyAmount AS b FROM DiscordUser WHERE UserId = $1', [userId]);
      if (balance && num(balance.b) !== 0) {
        await c.query("INSERT INTO CurrencyTransaction (UserId, Amount, Type, Note, DateAdded) VALUES ($1, $2, 'erased', NULL, $3)", [ANONYMOUS, -num(balance.b), at]);
      }
      const ledger = await changes(c, 'UPDATE CurrencyTransaction SET UserId = $1, Note = NULL WHERE UserId = $2', [ANONYMOUS, userId]);
      if (ledger > 0) summary.anonymised.CurrencyTransaction = ledger;
      const user = await changes(c, 'DELETE FROM DiscordUser WHERE UserId = $1', [userId]);
      if (user > 0) summary.deleted.DiscordUser = user;
      await applyCatalog(c, 'member', { user: userId }, summary);
      return summary;
    });
  }

  eraseMemberInGuild(guildId: string, userId: string, at: number): Promise<ErasureSummary> {
    return withRetry(this.pool, (c) => memberInGuild(c, guildId, userId, at));
  }

  /** See `PrivacyWriteStore.eraseIfLeft`: the member's row is locked, so a rejoin waits for the erasure or wins before it. */
  eraseIfLeft(guildId: string, userId: string, leftBy: number, at: number): Promise<ErasureSummary | null> {
    return withRetry(this.pool, async (c) => {
      // The erasure lock first, as every erasure takes it first: a flush never holds a row this waits for.
      await c.query('SELECT pg_advisory_xact_lock($1)', [ERASURE_LOCK]);
      const gone = await one(c, 'SELECT 1 AS x FROM UserXpStats WHERE GuildId = $1 AND UserId = $2 AND HasLeft = 1 AND LeftAt <= $3 FOR UPDATE', [guildId, userId, leftBy]);
      return gone ? memberInGuild(c, guildId, userId, at) : null;
    });
  }

  stampLeaves(guildId: string, at: number): Promise<number> {
    return changes(this.pool, 'UPDATE UserXpStats SET LeftAt = $1 WHERE GuildId = $2 AND HasLeft = 1 AND LeftAt IS NULL', [at, guildId]);
  }

  async claimRetentionSweep(at: number, leaseMs: number): Promise<boolean> {
    const sql = `INSERT INTO BotState (Key, Value) VALUES ('retention.next', $1) ON CONFLICT (Key) DO UPDATE SET Value = excluded.Value
      WHERE CAST(BotState.Value AS BIGINT) <= $2`;
    return (await changes(this.pool, sql, [String(at + leaseMs), at])) > 0;
  }

  async retentionSweepDone(nextAt: number): Promise<void> {
    await this.pool.query("UPDATE BotState SET Value = $1 WHERE Key = 'retention.next'", [String(nextAt)]);
  }

  eraseGuild(guildId: string, at: number): Promise<ErasureSummary> {
    return withRetry(this.pool, async (c): Promise<ErasureSummary> => {
      await record(c, null, guildId, at);
      // Sorted, as the flush updates these rows: two transactions never wait for each other the other way round.
      await c.query(
        `UPDATE DiscordUser SET TotalXp = greatest(0, DiscordUser.TotalXp - s.Xp)
         FROM (SELECT UserId, Xp FROM UserXpStats WHERE GuildId = $1 ORDER BY UserId) AS s WHERE DiscordUser.UserId = s.UserId`,
        [guildId],
      );
      const summary = emptySummary();
      await applyCatalog(c, 'guild', { guild: guildId }, summary);
      return summary;
    });
  }

  async setOptOut(guildId: string, userId: string, optedOut: boolean, at: number): Promise<boolean> {
    const sql = optedOut
      ? 'INSERT INTO XpOptOut (GuildId, UserId, OptedOutAt) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING'
      : 'DELETE FROM XpOptOut WHERE GuildId = $1 AND UserId = $2';
    return (await changes(this.pool, sql, optedOut ? [guildId, userId, at] : [guildId, userId])) > 0;
  }
}

async function memberInGuild(c: PgClient, guildId: string, userId: string, at: number): Promise<ErasureSummary> {
  await record(c, userId, guildId, at);
  await c.query(
    `UPDATE DiscordUser SET TotalXp = greatest(0, DiscordUser.TotalXp - s.Xp)
     FROM (SELECT UserId, Xp FROM UserXpStats WHERE GuildId = $1 AND UserId = $2) AS s WHERE DiscordUser.UserId = s.UserId`,
    [guildId, userId],
  );
  const summary = emptySummary();
  await applyCatalog(c, 'memberInGuild', { user: userId, guild: guildId }, summary);
  return summary;
}

/** Takes the erasure lock, prunes old erasures and records this one (the flushes of every process read it). */
async function record(c: PgClient, userId: string | null, guildId: string | null, at: number): Promise<void> {
  await c.query('SELECT pg_advisory_xact_lock($1)', [ERASURE_LOCK]);
  await c.query('DELETE FROM PrivacyErasure WHERE ErasedAt < $1', [at - ERASURE_KEEP_MS]);
  await c.query('INSERT INTO PrivacyErasure (UserId, GuildId, ErasedAt) VALUES ($1, $2, $3)', [userId, guildId, at]);
}

/** Deletes or anonymises, table by table in catalog order, what the catalog says a scope loses. */
async function applyCatalog(c: PgClient, scope: ScopeName, named: Named, summary: ErasureSummary): Promise<void> {
  for (const [table, decl] of Object.entries(PRIVACY_CATALOG) as [string, TablePrivacy][]) {
    const s: Scope | null = decl[scope];
    if (!s || (s.erase !== 'delete' && s.erase !== 'anonymise')) continue;
    const q = bindNamed(s.erase === 'delete' ? `DELETE FROM ${table} WHERE ${s.where}` : `UPDATE ${table} SET ${s.anonymise} WHERE ${s.where}`, named);
    const n = await changes(c, q.text, q.values);
    if (n > 0) (s.erase === 'delete' ? summary.deleted : summary.anonymised)[table] = n;
  }
}

function emptySummary(): ErasureSummary {
  return { deleted: {}, anonymised: {}, clubsHandedOver: [], clubsDisbanded: [] };
}
