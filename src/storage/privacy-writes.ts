/**
 * Erasures (DESIGN §13): a member everywhere, a member in one server, or a whole server, each in one IMMEDIATE
 * transaction that also records the erasure (PrivacyErasure), so every process's next flush drops what it had
 * buffered for them and every engine forgets its cached totals. What each table loses is declared in
 * privacy-catalog.ts; the tables marked 'special' are handled here.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';
import { idOf, num, sf } from './ids.js';
import { ANONYMOUS_ID, PRIVACY_CATALOG, type Scope, type TablePrivacy } from './privacy-catalog.js';

/** Erasures older than this are pruned: every process has flushed many times since (the longest interval is 1 h). */
export const ERASURE_KEEP_MS = 86_400_000;

export interface ErasureSummary {
  /** Rows deleted, per table. */
  deleted: Record<string, number>;
  /** Rows kept with the member's id replaced by 0, per table. */
  anonymised: Record<string, number>;
  /** Clubs the member owned that now belong to one of their admins. */
  clubsHandedOver: { name: string; newOwnerId: string }[];
  /** Clubs the member owned that had no admin to take them, so they were disbanded. */
  clubsDisbanded: string[];
}

type ScopeName = 'member' | 'guild' | 'memberInGuild';

export class PrivacyWriteStore {
  private readonly q: Record<string, Statement>;
  private readonly scoped = new Map<string, Statement>();

  constructor(private readonly db: Db) {
    const prep = (sql: string) => db.prepare(sql).safeIntegers(true);
    this.q = {
      record: prep('INSERT INTO PrivacyErasure (UserId, GuildId, ErasedAt) VALUES (?, ?, ?)'),
      prune: prep('DELETE FROM PrivacyErasure WHERE ErasedAt < ?'),
      ownedClubs: prep('SELECT Id, Name FROM Clubs WHERE OwnerId = ? ORDER BY Id'),
      clubAdmin: prep('SELECT UserId FROM DiscordUser WHERE ClubId = ? AND IsClubAdmin = 1 AND UserId != ? ORDER BY UserId LIMIT 1'),
      handOver: prep('UPDATE Clubs SET OwnerId = ? WHERE Id = ?'),
      unflagOwner: prep('UPDATE DiscordUser SET IsClubAdmin = 0 WHERE UserId = ?'),
      clearMembers: prep('UPDATE DiscordUser SET ClubId = NULL, IsClubAdmin = 0 WHERE ClubId = ?'),
      deleteClub: prep('DELETE FROM Clubs WHERE Id = ?'),
      balance: prep('SELECT CurrencyAmount FROM DiscordUser WHERE UserId = ?'),
      logErased: prep("INSERT INTO CurrencyTransaction (UserId, Amount, Type, Note, DateAdded) VALUES (?, ?, 'erased', NULL, ?)"),
      anonymiseLedger: prep('UPDATE CurrencyTransaction SET UserId = ?, Note = NULL WHERE UserId = ?'),
      deleteUser: prep('DELETE FROM DiscordUser WHERE UserId = ?'),
      optOut: prep('INSERT INTO XpOptOut (GuildId, UserId, OptedOutAt) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
      optIn: prep('DELETE FROM XpOptOut WHERE GuildId = ? AND UserId = ?'),
      // The server's XP leaves the members' global totals with it.
      untotalGuild: prep(`UPDATE DiscordUser SET TotalXp = max(0, TotalXp - s.Xp)
        FROM (SELECT UserId, Xp FROM UserXpStats WHERE GuildId = ?) AS s WHERE DiscordUser.UserId = s.UserId`),
      untotalMember: prep(`UPDATE DiscordUser SET TotalXp = max(0, TotalXp - s.Xp)
        FROM (SELECT UserId, Xp FROM UserXpStats WHERE GuildId = ? AND UserId = ?) AS s WHERE DiscordUser.UserId = s.UserId`),
      stillLeft: prep('SELECT 1 FROM UserXpStats WHERE GuildId = ? AND UserId = ? AND HasLeft = 1 AND LeftAt <= ?'),
      stampLeaves: prep('UPDATE UserXpStats SET LeftAt = ? WHERE GuildId = ? AND HasLeft = 1 AND LeftAt IS NULL'),
      // The next retention sweep is due at Value (wall ms); taking it moves Value to the end of the lease.
      claimSweep: prep(`INSERT INTO BotState (Key, Value) VALUES ('retention.next', ?) ON CONFLICT (Key) DO UPDATE SET Value = excluded.Value
        WHERE CAST(BotState.Value AS INTEGER) <= ?`),
      sweepDone: prep("UPDATE BotState SET Value = ? WHERE Key = 'retention.next'"),
    };
  }

  /** Erases everything about a member in every server (`privacy delete`). `at`: wall-clock ms. */
  eraseMember(userId: string, at: number): ErasureSummary {
    const u = sf(userId);
    return this.db
      .transaction((): ErasureSummary => {
        this.record(u, null, at);
        const summary = emptySummary();
        for (const club of this.q.ownedClubs!.all(u) as { Id: bigint; Name: string }[]) {
          const admin = this.q.clubAdmin!.get(club.Id, u) as { UserId: bigint } | undefined;
          if (admin) {
            this.q.handOver!.run(admin.UserId, club.Id);
            this.q.unflagOwner!.run(admin.UserId);
            summary.clubsHandedOver.push({ name: club.Name, newOwnerId: idOf(admin.UserId) });
          } else {
            this.q.clearMembers!.run(club.Id);
            this.q.deleteClub!.run(club.Id);
            summary.clubsDisbanded.push(club.Name);
          }
        }
        // The ledger keeps its amounts under the anonymous id, and one row takes the erased balance out of it, so
        // the transactions still add up to the balances.
        const balance = this.q.balance!.get(u) as { CurrencyAmount: bigint } | undefined;
        if (balance && balance.CurrencyAmount !== 0n) this.q.logErased!.run(ANONYMOUS_ID, -balance.CurrencyAmount, at);
        const ledger = this.q.anonymiseLedger!.run(ANONYMOUS_ID, u).changes;
        if (ledger > 0) summary.anonymised.CurrencyTransaction = ledger;
        const user = this.q.deleteUser!.run(u).changes;
        if (user > 0) summary.deleted.DiscordUser = user;
        this.applyCatalog('member', { user: u }, summary);
        return summary;
      })
      .immediate();
  }

  /** Erases a member's data in one server (opting out with erase). */
  eraseMemberInGuild(guildId: string, userId: string, at: number): ErasureSummary {
    return this.db.transaction(() => this.memberInGuild(sf(guildId), sf(userId), at)).immediate();
  }

  /**
   * The retention rule (DESIGN §13): erases a member's data in one server, the same way as `eraseMemberInGuild`,
   * if they are still gone and left at `leftBy` or before; null when not (they came back, or another process erased
   * them first). Checked inside the write transaction, so a rejoin that commits first keeps their data.
   */
  eraseIfLeft(guildId: string, userId: string, leftBy: number, at: number): ErasureSummary | null {
    const g = sf(guildId);
    const u = sf(userId);
    return this.db.transaction(() => (this.q.stillLeft!.get(g, u, leftBy) ? this.memberInGuild(g, u, at) : null)).immediate();
  }

  /** Members marked as left with no time (before the column existed) get `at`: their retention period starts now. */
  stampLeaves(guildId: string, at: number): number {
    return num(this.q.stampLeaves!.run(at, sf(guildId)).changes);
  }

  /**
   * Takes the retention sweep when it is due (at or past the time the last one set), for `leaseMs`: one process
   * sweeps at a time, and a sweep cut short by a crash is taken again when its lease ends. False when not due.
   */
  claimRetentionSweep(at: number, leaseMs: number): boolean {
    return this.q.claimSweep!.run(String(at + leaseMs), at).changes > 0;
  }

  /** The sweep finished: the next one is due at `nextAt`. */
  retentionSweepDone(nextAt: number): void {
    this.q.sweepDone!.run(String(nextAt));
  }

  private memberInGuild(g: bigint, u: bigint, at: number): ErasureSummary {
    this.record(u, g, at);
    this.q.untotalMember!.run(g, u);
    const summary = emptySummary();
    this.applyCatalog('memberInGuild', { user: u, guild: g }, summary);
    return summary;
  }

  /** Erases everything about a server (`unicornia data delete`); members' global data (wallets, shop) stays. */
  eraseGuild(guildId: string, at: number): ErasureSummary {
    const g = sf(guildId);
    return this.db
      .transaction((): ErasureSummary => {
        this.record(null, g, at);
        this.q.untotalGuild!.run(g);
        const summary = emptySummary();
        this.applyCatalog('guild', { guild: g }, summary);
        return summary;
      })
      .immediate();
  }

  /** A member opts out of (or back into) XP tracking in a server; false when that was already so. */
  setOptOut(guildId: string, userId: string, optedOut: boolean, at: number): boolean {
    const g = sf(guildId);
    const u = sf(userId);
    return (optedOut ? this.q.optOut!.run(g, u, at) : this.q.optIn!.run(g, u)).changes > 0;
  }

  private record(u: bigint | null, g: bigint | null, at: number): void {
    this.q.prune!.run(at - ERASURE_KEEP_MS);
    this.q.record!.run(u, g, at);
  }

  /** Deletes or anonymises, table by table in catalog order, what the catalog says a scope loses. */
  private applyCatalog(scope: ScopeName, params: { user?: bigint; guild?: bigint }, summary: ErasureSummary): void {
    for (const [table, decl] of Object.entries(PRIVACY_CATALOG) as [string, TablePrivacy][]) {
      const s = decl[scope];
      if (!s || (s.erase !== 'delete' && s.erase !== 'anonymise')) continue;
      const changes = num(this.statement(table, scope, s).run(params).changes);
      if (changes > 0) (s.erase === 'delete' ? summary.deleted : summary.anonymised)[table] = changes;
    }
  }

  private statement(table: string, scope: ScopeName, s: Scope): Statement {
    const key = `${table}:${scope}`;
    let stmt = this.scoped.get(key);
    if (!stmt) {
      stmt = this.db.prepare(s.erase === 'delete' ? `DELETE FROM ${table} WHERE ${s.where}` : `UPDATE ${table} SET ${s.anonymise} WHERE ${s.where}`);
      this.scoped.set(key, stmt);
    }
    return stmt;
  }
}

function emptySummary(): ErasureSummary {
  return { deleted: {}, anonymised: {}, clubsHandedOver: [], clubsDisbanded: [] };
}
