/**
 * The NadekoBot import: reads the Nadeko data section by section through a NadekoReader (nadeko-reader.ts) and
 * hands batches to the storage layer, which writes each batch in one transaction together with the import ledger
 * (see src/storage/import-writes.ts).
 *
 * What maps to what (DESIGN §8.1, docs/IMPORT.md):
 * - UserXpStats → UserXpStats. Before Nadeko 5.3 a server level counted `Xp + AwardedXp`, so where the column
 *   exists Unicornia's Xp = Xp + AwardedXp and AwardedXp = AwardedXp (the admin-given part, for the audit).
 *   RewardedLevel = at least the imported level on the guild's curve: Nadeko already paid those rewards.
 * - DiscordUser.TotalXp / CurrencyAmount → DiscordUser (global XP and wallet; a wallet change is logged).
 * - XpSettings (GuildId, or GuildConfigId → GuildConfigs.GuildId) XpFormulaA/C → CurveA/CurveC (Nadeko 7);
 *   ServerExcluded (Nadeko 6 and older) → XP switched off.
 * - GuildXpConfig / ChannelXpConfig (`.xprate`) → XP per message, cooldown, voice XP, excluded channels
 *   (nadeko-rates.ts).
 * - ExcludedItem (0 = channel, 1 = role) and XpExcludedItem (0 = user, 1 = role) → XpExcludedItem.
 * - XpRoleReward, XpCurrencyReward (by XpSettingsId → guild) → the same tables by GuildId.
 * - Notify Type 0 (level up) → AnnounceMode 'fixed' + channel, or 'channel' when ChannelId is NULL;
 *   the message → AnnounceTemplate with placeholders translated (see placeholders.ts).
 * - XpShopOwnedItem: Nadeko 0 (background) → Unicornia 1; Nadeko 1 (frame) → Unicornia 2, kept so the purchase is
 *   not lost although Unicornia draws no frames yet; the free "default" background needs no row.
 * - Clubs (owner via DiscordUser row id), DiscordUser.ClubId/IsClubAdmin, ClubApplicants, ClubBans.
 * - Everything else XP-related the reader finds (club banners, notification choices, …) is named, with its row
 *   count, under "Not imported".
 *
 * `guildId` limits the guild-scoped parts (settings, rates, XP, exclusions, rewards, message); users, wallet, shop
 * items and clubs are global in both bots and are always imported.
 */
import { CURVE_LIMITS } from '../levels/curve.js';
import type { GuildSettingsImport } from '../storage/import-writes.js';
import { openNadekoSource } from '../storage/nadeko-source.js';
import { targetLabel } from '../storage/import-target.js';
import type { NadekoReader, Skip } from './nadeko-reader.js';
import { mapNadekoRates } from './nadeko-rates.js';
import { assertDistinct, DEFAULT_IMPORT_OPTIONS, withTarget, type ImportOptions } from './options.js';
import { translateNadekoMessage } from './placeholders.js';
import { mapRows, mergeTallies, Runner } from './runner.js';
import { emptySections, type ImportSummary } from './summary.js';

export type { ImportOptions } from './options.js';

/** Unicornia's ItemType for Nadeko's XpShopOwnedItem.ItemType. */
export const SHOP_ITEM_TYPES: Readonly<Record<number, number>> = Object.freeze({ 0: 1, 1: 2 });

type CurveImport = { guildId: bigint; a: number; c: number };

/** Imports a NadekoBot SQLite file, or NadekoBot's PostgreSQL database when `source` is a `postgres://` URL. */
export async function importNadeko(source: string, targetPath: string, options: ImportOptions = {}): Promise<ImportSummary> {
  const o = { ...DEFAULT_IMPORT_OPTIONS, ...options };
  assertDistinct(source, targetPath);
  const reader = openNadekoSource(source, { busyTimeoutMs: o.busyTimeoutMs });
  try {
    return await importFromReader(reader, targetPath, o);
  } finally {
    reader.close();
  }
}

/** Imports from any NadekoReader (NadekoBot's SQLite file or its PostgreSQL database). */
export async function importFromReader(reader: NadekoReader, targetPath: string, options: ImportOptions = {}): Promise<ImportSummary> {
  const o = { ...DEFAULT_IMPORT_OPTIONS, ...options };
  const started = performance.now();
  const guild = o.guildId === null ? null : BigInt(o.guildId);
  return withTarget(targetPath, 'nadeko', o, async (st) => {
    const sections = emptySections();
    const notes: string[] = [];
    const run = new Runner(sections, o.batchSize, o.progress);
    const s = reader.schema;

    // Settings first: the XP section computes levels with the guild's (imported) curve.
    const settings = reader.settings(guild);
    const settingRows: (CurveImport | GuildSettingsImport | Skip)[] = [];
    for (const r of settings.rows) {
      if ('skip' in r) {
        settingRows.push(r);
        continue;
      }
      settingRows.push(curveOf(r.guildId, r.curve));
      // A server switched off in Nadeko stays off.
      if (r.serverExcluded) settingRows.push({ guildId: r.guildId, patch: { xpEnabled: false } });
    }
    await run.section('XP settings', settingRows.length, settingRows, async (b) =>
      mergeTallies(
        await st.importCurves(b.filter((r): r is CurveImport => 'a' in r)),
        await st.importGuildSettings(b.filter((r): r is GuildSettingsImport => 'patch' in r)),
      ),
    );

    const rates = mapNadekoRates(reader.rates(guild));
    notes.push(...rates.notes);
    await run.section('XP rates', rates.actions.length, rates.actions, async (b) =>
      mergeTallies(
        await st.importGuildSettings(b.flatMap((a) => ('setting' in a ? [a.setting] : []))),
        await st.importExclusions(b.flatMap((a) => ('exclusion' in a ? [a.exclusion] : []))),
        await st.importChannelRates(b.flatMap((a) => ('channelRate' in a ? [a.channelRate] : []))),
      ),
    );

    if (s.userXp) await run.section('server XP', reader.count('UserXpStats', guild), reader.xp(guild), (b) => st.importXp(b));
    if (s.discordUser) await run.section('users', reader.count('DiscordUser'), reader.users(), (b) => st.importUsers(b));
    await run.section('exclusions', null, reader.exclusions(guild, settings.guildOf), (b) => st.importExclusions(b));
    await run.section('role rewards', null, reader.roleRewards(guild, settings.guildOf), (b) => st.importRoleRewards(b));
    await run.section('currency rewards', null, reader.currencyRewards(guild, settings.guildOf), (b) => st.importCurrencyRewards(b));

    const announcements = mapRows(reader.notify(guild), (r) => {
      const t = translateNadekoMessage(r.message);
      if (t.untranslated.length > 0) {
        notes.push(`guild ${r.guildId}: the level-up message keeps placeholders Unicornia does not know: ${t.untranslated.join(', ')}`);
      }
      if (t.flattened) notes.push(`guild ${r.guildId}: the level-up message was an embed; only its text was kept`);
      if (t.template === null) notes.push(`guild ${r.guildId}: the level-up message was empty; Unicornia's default text is used`);
      return { guildId: r.guildId, channelId: r.channelId, template: t.template };
    });
    await run.section('level-up message', null, announcements, (b) => st.importAnnouncements(b));

    if (s.shop) {
      const items = mapRows(reader.shopItems(), (r) => {
        const type = SHOP_ITEM_TYPES[r.itemType];
        if (type === undefined) return { skip: `unknown shop item type ${r.itemType}` };
        if (type === 1 && r.itemKey === 'default') return { skip: 'the free default background needs no row' };
        return { ...r, itemType: type };
      });
      await run.section('shop items', reader.count('XpShopOwnedItem'), items, (b) => st.importShopItems(b));
    }
    if (s.clubs) {
      await run.section('clubs', reader.count('Clubs'), reader.clubs(), (b) => st.importClubs(b));
      await run.section('club members', null, reader.clubMembers(), (b) => st.importClubMembers(b));
      await run.section('club applicants', null, reader.clubLinks('ClubApplicants'), (b) => st.importClubApplicants(b));
      await run.section('club bans', null, reader.clubLinks('ClubBans'), (b) => st.importClubBans(b));
    }
    return {
      bot: 'NadekoBot',
      source: reader.location,
      target: targetLabel(targetPath),
      details: [`Nadeko schema: ${s.generation}${s.lastMigration ? `; last migration ${s.lastMigration}` : ''}`],
      guildId: o.guildId,
      dryRun: o.dryRun,
      sections,
      notImported: reader.notImported(guild),
      levels: null,
      notes: [...notes, ...run.noteLines()],
      seconds: (performance.now() - started) / 1000,
    };
  });
}

function curveOf(guildId: bigint, curve: { a: number; c: number } | null): CurveImport | Skip {
  if (!curve) return { skip: 'no curve before Nadeko 7 (the default curve applies)' };
  const { a, c } = curve;
  if (a < CURVE_LIMITS.aMin || a > CURVE_LIMITS.aMax || c < CURVE_LIMITS.cMin || c > CURVE_LIMITS.cMax) {
    return { skip: `curve constants outside Unicornia's limits (a ${CURVE_LIMITS.aMin}–${CURVE_LIMITS.aMax}, c ${CURVE_LIMITS.cMin}–${CURVE_LIMITS.cMax})` };
  }
  return { guildId, a, c };
}

