/**
 * The rules every import target applies, whatever the store (DESIGN §8): the difference rule for XP and wallets,
 * where a lowered member's "rewarded up to level" mark lands, club renames, and the tally of a batch. The SQLite
 * target (`import-writes.ts`) applies them row by row inside its transaction, the PostgreSQL target
 * (`pg/import-writes.ts`) batch by batch over arrays; both call these functions, so both decide alike.
 */
import { levelFromXp, NADEKO_CURVE, type LevelCurve } from '../levels/curve.js';
import { foldName } from './club-writes.js';

/** What happened to the rows of one batch. `skipped` counts rows per reason; `notes` counts things to tell. */
export interface BatchTally {
  imported: number;
  unchanged: number;
  skipped: Record<string, number>;
  notes: Record<string, number>;
}

/** Thrown when Unicornia's database cannot take the import (not Unicornia's, unreachable, or locked past the busy timeout). */
export class ImportTargetError extends Error {
  override readonly name = 'ImportTargetError';
  constructor(
    readonly kind: 'unusable' | 'locked',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function emptyTally(): BatchTally {
  return { imported: 0, unchanged: 0, skipped: {}, notes: {} };
}

export function skip(t: BatchTally, reason: string): void {
  t.skipped[reason] = (t.skipped[reason] ?? 0) + 1;
}

export function note(t: BatchTally, text: string): void {
  t.notes[text] = (t.notes[text] ?? 0) + 1;
}

/** A config row written (changes > 0) counts as imported; one the store already had is skipped with the reason. */
export function countWrite(t: BatchTally, changes: number, reasonIfNone: string): void {
  if (changes > 0) t.imported++;
  else skip(t, reasonIfNone);
}

/** A guild's curve from its XpSettings row; Nadeko's default when the guild has no row. */
export function curveFromRow(row: { a: number; c: number; q: number } | undefined): LevelCurve {
  if (!row) return NADEKO_CURVE;
  return row.q ? { q: row.q, a: row.a, c: row.c } : { a: row.a, c: row.c };
}

/**
 * A batch's members as key ranges, one per run of rows of the same guild, `[guild, lowest user, highest user]`. The
 * ledger is read as one index range per run (rows come in key order), not one lookup per row: a re-run reads every
 * row, and a million random lookups cost several times a million rows read in index order.
 */
export function keyRanges(rows: readonly { guildId: bigint; userId: bigint }[]): [bigint, bigint, bigint][] {
  const out: [bigint, bigint, bigint][] = [];
  for (let i = 0; i < rows.length; ) {
    const g = rows[i]!.guildId;
    let lo = rows[i]!.userId;
    let hi = lo;
    for (; i < rows.length && rows[i]!.guildId === g; i++) {
      const u = rows[i]!.userId;
      if (u < lo) lo = u;
      if (u > hi) hi = u;
    }
    out.push([g, lo, hi]);
  }
  return out;
}

/**
 * One member's XP import against the ledger (`before` = what the source held at the last run): unchanged; added
 * (the usual case: a plain additive write, like the flush, with the mark raised to the imported level); or lowered
 * (the source went down), which needs the member's current row (`lowered`).
 */
export type XpChange =
  | { kind: 'unchanged' }
  | { kind: 'add'; dXp: number; dAwarded: number; level: number }
  | { kind: 'lower'; before: number; now: number; dAwarded: number };

export function xpChange(prev: { xp: number; awarded: number } | undefined, now: number, awarded: number, curve: LevelCurve): XpChange {
  const before = prev?.xp ?? 0;
  const dAwarded = awarded - (prev?.awarded ?? 0);
  if (prev && before === now && dAwarded === 0) return { kind: 'unchanged' };
  const dXp = now - before;
  if (dXp >= 0 && dAwarded >= 0) return { kind: 'add', dXp, dAwarded, level: levelFromXp(now, curve) };
  return { kind: 'lower', before, now, dAwarded };
}

/**
 * A lowered member's new row. XP never drops below 0; the mark comes down to the member's new level as far as the
 * import had raised it, unless Unicornia itself paid beyond what the import had claimed: those payments stand, so
 * nothing is paid twice. `history` is the change of XP to record as source `import`.
 */
export function lowered(
  row: { xp: number; awarded: number; mark: number } | undefined,
  c: { before: number; now: number; dAwarded: number },
  curve: LevelCurve,
): { xp: number; awarded: number; mark: number; history: number } {
  const stored = row?.xp ?? 0;
  const xp = Math.max(0, stored + c.now - c.before);
  const awarded = Math.max(0, (row?.awarded ?? 0) + c.dAwarded);
  const mark = row?.mark ?? 0;
  const level = levelFromXp(c.now, curve);
  const claimed = levelFromXp(c.before, curve);
  const next = mark <= claimed ? Math.min(Math.max(mark, level), levelFromXp(xp, curve)) : mark;
  return { xp, awarded, mark: next, history: xp - stored };
}

/** A Nadeko user's global XP and wallet against the ledger: unchanged, or the signed changes to apply. */
export type UserChange = { kind: 'unchanged' } | { kind: 'change'; dXp: number; dCurrency: number; signed: boolean };

export function userChange(prev: { totalXp: number; currency: number } | undefined, totalXp: number, currency: number): UserChange {
  if (prev && prev.totalXp === totalXp && prev.currency === currency) return { kind: 'unchanged' };
  const dXp = totalXp - (prev?.totalXp ?? 0);
  const dCurrency = currency - (prev?.currency ?? 0);
  return { kind: 'change', dXp, dCurrency, signed: dXp < 0 || dCurrency < 0 };
}

/**
 * A member who ran `level optout` in a server: nothing new is stored about them there (DESIGN §13), imports
 * included. Their row is left out of the ledger too, so an import after they opt back in brings their XP whole.
 */
export const OPTED_OUT = 'the member opted out of XP in this server (level optout)';

/** How a wallet change an import makes is logged as a currency transaction. */
export const WALLET_LOG = { type: 'nadeko_import', note: 'balance imported from NadekoBot' } as const;

export const WALLET_FLOOR_NOTE = "wallets lowered only to 0: Nadeko's balance dropped by more than the member still holds";

/**
 * Nadeko's balance dropped since the last run: take the drop off, but never below 0 (the member may have spent it in
 * Unicornia meanwhile); the ledger keeps Nadeko's value, so the rest is not taken later.
 */
export function walletDrop(dCurrency: number, balance: number, t: BatchTally): number {
  if (dCurrency >= 0) return dCurrency;
  const floor = -Math.max(0, balance);
  if (dCurrency < floor) note(t, WALLET_FLOOR_NOTE);
  return Math.max(dCurrency, floor);
}

/** Unicornia's clubs are named 2–20 characters (the club service's CLUB_NAME_MAX); a renamed club must fit. */
const CLUB_NAME_MAX = 20;

/** "name 2", "name 3", … cut to fit Unicornia's club name length, free under case-folded comparison. */
export function freeClubName(name: string, taken: ReadonlyMap<string, unknown>): string {
  for (let n = 2; ; n++) {
    const suffix = ` ${n}`;
    const candidate = `${[...name].slice(0, CLUB_NAME_MAX - suffix.length).join('').trimEnd()}${suffix}`;
    if (!taken.has(foldName(candidate))) return candidate;
  }
}

export const CLUB_SKIPS = {
  deleted: 'the club was imported before and has since been deleted in Unicornia',
  nameTaken: 'a club with this name already exists in Unicornia',
  ownerInClub: 'the owner is already in another Unicornia club',
  notImported: 'the club was not imported',
  inOtherClub: 'already in another Unicornia club',
} as const;

export function clubRenameNote(original: string, name: string, first: string): string {
  return `club "${original}" imported as "${name}": Unicornia club names ignore letter case and "${first}" was imported first`;
}

/** Ledger keys of club applicants and bans; runs before migration 9 keyed them by the lower-cased club name. */
export function clubLinkKeys(clubName: string, userId: bigint): string[] {
  const key = `${clubName}:${userId}`;
  const legacy = `${clubName.toLowerCase()}:${userId}`;
  return legacy === key ? [key] : [key, legacy];
}

/** Ledger kinds of other bots carry the source, so a MEE6 reward and a Nadeko reward are different items. */
export function ledgerKind(source: string, kind: string): string {
  return source === 'nadeko' ? kind : `${source}:${kind}`;
}

/** Skip reasons of configuration rows Unicornia already has (the same on both stores). */
export const CONFIG_SKIPS = {
  multiplier: 'Unicornia already has a multiplier there',
  exclusion: 'already excluded in Unicornia',
  channelRate: 'Unicornia already has a rate for that channel',
  roleReward: 'the same role reward already exists in Unicornia',
  currencyReward: 'Unicornia already has a currency reward at that level',
  shopItem: 'already owned in Unicornia',
  clubLink: 'already recorded in Unicornia',
} as const;
