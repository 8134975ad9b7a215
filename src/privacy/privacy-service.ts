/**
 * A member's and a server's data (DESIGN §13): exports and erasures over the XP core, with no Discord in it.
 *
 * An export first writes this process's buffer, so the file holds the XP earned a second ago. An erasure forgets the
 * member (or server) in this engine before and after the database transaction: gains that arrive while it runs are
 * dropped by the next flush (the erasure is stored first), and other processes forget at their next flush.
 */
import type { XpCore } from '../core.js';
import type { Clock } from '../util/clock.js';
import { levelFromXp } from '../levels/curve.js';
import { PRIVACY_CATALOG } from '../storage/privacy-catalog.js';
import type { ExportRow } from '../storage/privacy-reads.js';
import type { ErasureSummary } from '../storage/privacy-writes.js';

export const MEMBER_EXPORT_ABOUT =
  'Everything Unicornia stores about you, in every server it serves: XP and levels per server, the reward marks, ' +
  'your wallet and its transactions, shop items, clubs, pending role changes, exclusions and import records. ' +
  '"tables" holds the database rows as stored (ids are strings); "servers" sums them up. ' +
  '`privacy delete` erases it; `level optout` stops tracking in one server.';

export const GUILD_EXPORT_ABOUT =
  "Everything Unicornia stores about this server: its settings, exclusions, multipliers and rewards, every member's " +
  'XP, levels and reward marks, queued role changes and the admin XP log. The CSV has one line per member.';

export interface MemberExport {
  about: string;
  exportedAt: string;
  userId: string;
  servers: { guildId: string; xp: number; level: number; hasLeft: boolean }[];
  /** What erasing would do with each table that holds rows about the member. */
  onErase: Record<string, string>;
  tables: Record<string, ExportRow[]>;
}

export interface GuildExport {
  json: {
    about: string;
    exportedAt: string;
    guildId: string;
    tables: Record<string, ExportRow[]>;
  };
  csv: string;
  members: number;
}

export class PrivacyService {
  constructor(
    private readonly core: XpCore,
    private readonly clock: Clock,
  ) {}

  async exportMember(userId: string): Promise<MemberExport> {
    await this.core.flusher.flush();
    const tables = await this.core.stores.privacy.memberRows(userId);
    const servers: MemberExport['servers'] = [];
    for (const r of tables.UserXpStats ?? []) {
      const guildId = String(r.GuildId);
      const xp = Number(r.Xp);
      servers.push({ guildId, xp, level: levelFromXp(xp, (await this.core.engine.rules(guildId)).settings.curve), hasLeft: Number(r.HasLeft) !== 0 });
    }
    const onErase: Record<string, string> = {};
    for (const table of Object.keys(tables)) {
      const scope = PRIVACY_CATALOG[table]?.member;
      if (scope) onErase[table] = scope.erase === 'delete' ? 'deleted' : `${scope.erase}: ${scope.reason ?? ''}`;
    }
    return { about: MEMBER_EXPORT_ABOUT, exportedAt: new Date(this.clock.wallNow()).toISOString(), userId, servers, onErase, tables };
  }

  /** Erases a member everywhere. */
  async eraseMember(userId: string): Promise<ErasureSummary> {
    this.core.engine.forget(null, userId);
    const summary = await this.core.writer.privacy.eraseMember(userId, this.clock.wallNow());
    this.core.engine.forget(null, userId);
    return summary;
  }

  /** Erases a member's data in one server. */
  async eraseMemberInGuild(guildId: string, userId: string): Promise<ErasureSummary> {
    this.core.engine.forget(guildId, userId);
    const summary = await this.core.writer.privacy.eraseMemberInGuild(guildId, userId, this.clock.wallNow());
    this.core.engine.forget(guildId, userId);
    return summary;
  }

  /**
   * The retention rule: erases a member's data in one server if they are still gone and left at `leftBy` or
   * before (checked in the erasing transaction); null when they came back or were erased already. The engine
   * forgets them only after the erasure committed: a member who came back in the meantime keeps their buffered XP.
   * Gains buffered or in flight before it are dropped by the flush, which honours the recorded erasure.
   */
  async eraseIfLeft(guildId: string, userId: string, leftBy: number): Promise<ErasureSummary | null> {
    const summary = await this.core.writer.privacy.eraseIfLeft(guildId, userId, leftBy, this.clock.wallNow());
    if (summary) this.core.engine.forget(guildId, userId);
    return summary;
  }

  /**
   * A member stops XP tracking in a server (their objection, DESIGN §13): nothing new is stored about them there.
   * With `erase`, what is stored there already is erased too. `changed` is false when they had opted out before.
   */
  async optOut(guildId: string, userId: string, erase: boolean): Promise<{ changed: boolean; erased: ErasureSummary | null }> {
    const changed = await this.core.writer.privacy.setOptOut(guildId, userId, true, this.clock.wallNow());
    await this.core.engine.reloadGuild(guildId);
    return { changed, erased: erase ? await this.eraseMemberInGuild(guildId, userId) : null };
  }

  /** Tracking starts again; false when the member had not opted out. */
  async optIn(guildId: string, userId: string): Promise<boolean> {
    const changed = await this.core.writer.privacy.setOptOut(guildId, userId, false, this.clock.wallNow());
    await this.core.engine.reloadGuild(guildId);
    return changed;
  }

  async exportGuild(guildId: string): Promise<GuildExport> {
    await this.core.flusher.flush();
    const tables = await this.core.stores.privacy.guildRows(guildId);
    const curve = (await this.core.engine.rules(guildId)).settings.curve;
    const lines = ['guild_id,user_id,xp,level,awarded_xp,rewarded_level,has_left'];
    const members = tables.UserXpStats ?? [];
    for (const r of members) {
      const xp = Number(r.Xp);
      lines.push([guildId, r.UserId, xp, levelFromXp(xp, curve), r.AwardedXp, r.RewardedLevel, r.HasLeft].join(','));
    }
    return {
      json: { about: GUILD_EXPORT_ABOUT, exportedAt: new Date(this.clock.wallNow()).toISOString(), guildId, tables },
      csv: `${lines.join('\n')}\n`,
      members: members.length,
    };
  }

  /** Erases everything about a server. */
  async eraseGuild(guildId: string): Promise<ErasureSummary> {
    this.core.engine.forget(guildId, null);
    const summary = await this.core.writer.privacy.eraseGuild(guildId, this.clock.wallNow());
    this.core.engine.forget(guildId, null);
    return summary;
  }
}
