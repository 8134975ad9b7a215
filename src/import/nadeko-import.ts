/**
 * The NadekoBot import: reads the Nadeko file section by section and hands batches to the storage layer, which
 * writes each batch in one transaction together with the import ledger (see src/storage/import-writes.ts).
 *
 * What maps to what (DESIGN §8):
 * - UserXpStats → UserXpStats. Before Nadeko 5.3 a server level counted `Xp + AwardedXp`, so where the column
 *   exists Unicornia's Xp = Xp + AwardedXp and AwardedXp = AwardedXp (the admin-given part, for the audit).
 *   RewardedLevel = at least the imported level on the guild's curve: Nadeko already paid those rewards.
 * - DiscordUser.TotalXp / CurrencyAmount → DiscordUser (global XP and wallet; a wallet change is logged).
 * - XpSettings (GuildId, or GuildConfigId → GuildConfigs.GuildId) XpFormulaA/C → CurveA/CurveC (Nadeko 7).
 * - ExcludedItem (0 = channel, 1 = role) and XpExcludedItem (0 = user, 1 = role) → XpExcludedItem.
 * - XpRoleReward, XpCurrencyReward (by XpSettingsId → guild) → the same tables by GuildId.
 * - Notify Type 0 (level up) → AnnounceMode 'fixed' + channel, or 'channel' when ChannelId is NULL;
 *   the message → AnnounceTemplate with placeholders translated (see placeholders.ts).
 * - XpShopOwnedItem: Nadeko 0 (background) → Unicornia 1; Nadeko 1 (frame) → Unicornia 2, kept so the purchase is
 *   not lost although Unicornia draws no frames yet; the free "default" background needs no row.
 * - Clubs (owner via DiscordUser row id), DiscordUser.ClubId/IsClubAdmin, ClubApplicants, ClubBans.
 *
 * `guildId` limits the guild-scoped parts (settings, XP, exclusions, rewards, message); users, wallet, shop items
 * and clubs are global in both bots and are always imported.
 */
import { realpathSync } from 'node:fs';
import { ImportStore, ImportTargetError, type BatchTally } from '../storage/import-writes.js';
import { CURVE_LIMITS } from '../levels/curve.js';
import { ImportError } from './errors.js';
import { NadekoSource, type Skip } from '../storage/nadeko-source.js';
import { translateNadekoMessage } from './placeholders.js';
import { emptySections, type ImportSummary, type Section, type SectionTally } from './summary.js';

/** Receives progress; the CLI draws a bar on a TTY and prints plain lines otherwise. */
export interface ProgressSink {
  start(section: Section, total: number): void;
  update(section: Section, done: number): void;
  finish(section: Section): void;
}

export interface ImportOptions {
  /** Import only this guild's guild-scoped data. Default null: every guild. */
  guildId?: string | null;
  /** Compute everything on an in-memory copy and write nothing. Default false. */
  dryRun?: boolean;
  /** Rows per transaction. Default 50 000. */
  batchSize?: number;
  /** Milliseconds to wait when the Nadeko file or Unicornia's database is locked. Default 5 000. */
  busyTimeoutMs?: number;
  /** Progress receiver. Default: none. */
  progress?: ProgressSink | null;
  /** Wall clock (DateAdded columns, currency log). Default Date.now. */
  now?: () => number;
}

export const DEFAULT_IMPORT_OPTIONS: Required<ImportOptions> = {
  guildId: null,
  dryRun: false,
  batchSize: 50_000,
  busyTimeoutMs: 5_000,
  progress: null,
  now: Date.now,
};

/** Unicornia's ItemType for Nadeko's XpShopOwnedItem.ItemType. */
export const SHOP_ITEM_TYPES: Readonly<Record<number, number>> = Object.freeze({ 0: 1, 1: 2 });

export async function importNadeko(sourcePath: string, targetPath: string, options: ImportOptions = {}): Promise<ImportSummary> {
  const o = { ...DEFAULT_IMPORT_OPTIONS, ...options };
  const started = performance.now();
  const guild = o.guildId === null ? null : BigInt(o.guildId);
  if (sameFile(sourcePath, targetPath)) throw new ImportError('target_is_source', sourcePath);

  const source = NadekoSource.open(sourcePath, { busyTimeoutMs: o.busyTimeoutMs });
  let store: ImportStore | undefined;
  try {
    store = openStore(targetPath, o);
    const sections = emptySections();
    const notes: string[] = [];
    const run = new Runner(sections, o.batchSize, o.progress);
    const s = source.schema;

    // Settings first: the XP section computes levels with the guild's (imported) curve.
    const settings = source.settings(guild);
    const curves: ({ guildId: bigint; a: number; c: number } | Skip)[] = settings.rows.map((r) => {
      if ('skip' in r) return r;
      if (!r.curve) return { skip: 'no curve before Nadeko 7 (the default curve applies)' };
      const { a, c } = r.curve;
      if (a < CURVE_LIMITS.aMin || a > CURVE_LIMITS.aMax || c < CURVE_LIMITS.cMin || c > CURVE_LIMITS.cMax) {
        return { skip: `curve constants outside Unicornia's limits (a ${CURVE_LIMITS.aMin}–${CURVE_LIMITS.aMax}, c ${CURVE_LIMITS.cMin}–${CURVE_LIMITS.cMax})` };
      }
      return { guildId: r.guildId, a, c };
    });
    const st = store;
    await run.section('XP settings', curves.length, curves, (b) => st.importCurves(b));

    if (s.userXp) await run.section('server XP', source.count('UserXpStats', guild), source.xp(guild), (b) => st.importXp(b));
    if (s.discordUser) await run.section('users', source.count('DiscordUser'), source.users(), (b) => st.importUsers(b));
    await run.section('exclusions', null, source.exclusions(guild, settings.guildOf), (b) => st.importExclusions(b));
    await run.section('role rewards', null, source.roleRewards(guild, settings.guildOf), (b) => st.importRoleRewards(b));
    await run.section('currency rewards', null, source.currencyRewards(guild, settings.guildOf), (b) => st.importCurrencyRewards(b));

    const announcements = [...source.notify(guild)].map((r) => {
      if ('skip' in r) return r;
      const t = translateNadekoMessage(r.message);
      if (t.untranslated.length > 0) {
        notes.push(`guild ${r.guildId}: the level-up message keeps placeholders Unicornia does not know: ${t.untranslated.join(', ')}`);
      }
      if (t.flattened) notes.push(`guild ${r.guildId}: the level-up message was an embed; only its text was kept`);
      if (t.template === null) notes.push(`guild ${r.guildId}: the level-up message was empty; Unicornia's default text is used`);
      return { guildId: r.guildId, channelId: r.channelId, template: t.template };
    });
    await run.section('level-up message', announcements.length, announcements, (b) => st.importAnnouncements(b));

    if (s.shop) {
      const items = mapRows(source.shopItems(), (r) => {
        const type = SHOP_ITEM_TYPES[r.itemType];
        if (type === undefined) return { skip: `unknown shop item type ${r.itemType}` };
        if (type === 1 && r.itemKey === 'default') return { skip: 'the free default background needs no row' };
        return { ...r, itemType: type };
      });
      await run.section('shop items', source.count('XpShopOwnedItem'), items, (b) => st.importShopItems(b));
    }
    if (s.clubs) {
      await run.section('clubs', source.count('Clubs'), source.clubs(), (b) => st.importClubs(b));
      await run.section('club members', null, source.clubMembers(), (b) => st.importClubMembers(b));
      await run.section('club applicants', null, source.clubLinks('ClubApplicants'), (b) => st.importClubApplicants(b));
      await run.section('club bans', null, source.clubLinks('ClubBans'), (b) => st.importClubBans(b));
    }
    return {
      source: sourcePath,
      target: targetPath,
      generation: s.generation,
      lastMigration: s.lastMigration,
      guildId: o.guildId,
      dryRun: o.dryRun,
      sections,
      notes,
      seconds: (performance.now() - started) / 1000,
    };
  } catch (err) {
    if (err instanceof ImportTargetError) {
      throw new ImportError(err.kind === 'locked' ? 'target_locked' : 'target_unusable', err.message, { cause: err });
    }
    throw err;
  } finally {
    store?.close();
    source.close();
  }
}

function openStore(path: string, o: Required<ImportOptions>): ImportStore {
  return ImportStore.open(path, { dryRun: o.dryRun, now: o.now, busyTimeoutMs: o.busyTimeoutMs });
}

function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

function* mapRows<T, U>(rows: Iterable<T | Skip>, fn: (row: T) => U | Skip): Generator<U | Skip> {
  for (const r of rows) yield isSkip(r) ? r : fn(r);
}

function isSkip(r: unknown): r is Skip {
  return typeof r === 'object' && r !== null && 'skip' in r;
}

/** Batches a section's rows into store calls, tallies them and reports progress. */
class Runner {
  constructor(
    private readonly sections: Record<Section, SectionTally>,
    private readonly batchSize: number,
    private readonly progress: ProgressSink | null,
  ) {}

  async section<T>(name: Section, total: number | null, rows: Iterable<T | Skip>, apply: (batch: T[]) => BatchTally): Promise<void> {
    const tally = this.sections[name];
    const list = total === null ? [...rows] : rows; // unknown size: small tables, read them first to count
    this.progress?.start(name, total ?? (list as unknown[]).length);
    let batch: T[] = [];
    const flush = async () => {
      const t = apply(batch);
      tally.imported += t.imported;
      tally.unchanged += t.unchanged;
      for (const [why, n] of Object.entries(t.skipped)) tally.skipped[why] = (tally.skipped[why] ?? 0) + n;
      batch = [];
      this.progress?.update(name, tally.read);
      // Let timers run between batches (the progress bar redraws, signals are seen).
      await new Promise<void>((resolve) => setImmediate(resolve));
    };
    for (const r of list) {
      tally.read++;
      if (isSkip(r)) tally.skipped[r.skip] = (tally.skipped[r.skip] ?? 0) + 1;
      else batch.push(r);
      if (batch.length >= this.batchSize) await flush();
    }
    if (batch.length > 0) await flush();
    this.progress?.update(name, tally.read);
    this.progress?.finish(name);
  }
}
