/**
 * What an import read, imported, left unchanged and skipped (with why), what the source holds that Unicornia has
 * no place for, and the text form of all that for the CLI.
 */
export const SECTIONS = [
  'XP settings',
  'XP rates',
  'server XP',
  'users',
  'exclusions',
  'multipliers',
  'role rewards',
  'currency rewards',
  'level-up message',
  'shop items',
  'clubs',
  'club members',
  'club applicants',
  'club bans',
] as const;
export type Section = (typeof SECTIONS)[number];

export interface SectionTally {
  read: number;
  imported: number;
  /** Already imported by an earlier run, with the same value. */
  unchanged: number;
  /** Rows per reason. */
  skipped: Record<string, number>;
}

/** Something the source stores that Unicornia has no place for: named with its row count, never dropped silently. */
export interface NotImported {
  what: string;
  rows: number;
  reason: string;
}

export type KeepMode = 'xp' | 'level';

/**
 * Another bot's levels against Unicornia's curve, counted both ways so the owner can choose: keeping XP moves
 * levels; keeping levels moves XP (to the same level plus the same fraction of the next one).
 */
export interface LevelChoice {
  /** What this run did; null for a dry run that was not told. */
  keep: KeepMode | null;
  /** Members compared (those the file gives a level for, or whose level its curve gives). */
  members: number;
  /** --keep xp: members whose level changes, and in which direction. */
  xpMode: { up: number; down: number };
  /** --keep level: members whose XP changes. */
  levelMode: { xpChanged: number };
  /** Members the file gives no level for (they can only keep their XP). */
  noLevel: number;
}

export interface ImportSummary {
  /** The bot the data came from, e.g. "NadekoBot" or "MEE6". */
  bot: string;
  source: string;
  target: string;
  /** Lines about the source (schema generation, files read, …). */
  details: string[];
  guildId: string | null;
  dryRun: boolean;
  sections: Record<Section, SectionTally>;
  notImported: NotImported[];
  levels: LevelChoice | null;
  /** Things the owner should know (untranslated placeholders, flattened embeds, renamed clubs, …). */
  notes: string[];
  seconds: number;
}

export function emptySections(): Record<Section, SectionTally> {
  return Object.fromEntries(SECTIONS.map((s) => [s, { read: 0, imported: 0, unchanged: 0, skipped: {} }])) as Record<
    Section,
    SectionTally
  >;
}

export function skippedCount(t: SectionTally): number {
  return Object.values(t.skipped).reduce((a, b) => a + b, 0);
}

export function formatSummary(s: ImportSummary): string {
  const lines: string[] = [];
  const verb = s.dryRun ? 'would import' : 'imported';
  lines.push(`${s.dryRun ? 'Dry run — nothing was written. ' : ''}${s.bot} import from ${s.source} into ${s.target}${s.guildId ? ` (guild ${s.guildId} only)` : ''}`);
  lines.push(...s.details);
  lines.push('');
  const header = ['', 'read', verb, 'unchanged', 'skipped'];
  const rows = Object.entries(s.sections)
    .filter(([, t]) => t.read > 0)
    .map(([name, t]) => [name, fmt(t.read), fmt(t.imported), fmt(t.unchanged), fmt(skippedCount(t))]);
  if (rows.length === 0) rows.push(['(nothing to import)', '', '', '', '']);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  lines.push(line(header));
  for (const r of rows) lines.push(line(r));
  const totals = Object.values(s.sections).reduce(
    (acc, t) => ({ read: acc.read + t.read, imported: acc.imported + t.imported, unchanged: acc.unchanged + t.unchanged, skipped: acc.skipped + skippedCount(t) }),
    { read: 0, imported: 0, unchanged: 0, skipped: 0 },
  );
  lines.push(line(['total', fmt(totals.read), fmt(totals.imported), fmt(totals.unchanged), fmt(totals.skipped)]));
  const reasons = Object.entries(s.sections).flatMap(([name, t]) =>
    Object.entries(t.skipped).map(([why, n]) => `  ${name}: ${fmt(n)} × ${why}`),
  );
  if (reasons.length > 0) lines.push('', 'Skipped:', ...reasons);
  if (s.notImported.length > 0) {
    lines.push('', `Not imported (${s.bot} keeps these; Unicornia has no place for them):`);
    lines.push(...s.notImported.map((d) => `  - ${d.what}: ${fmt(d.rows)} ${d.rows === 1 ? 'row' : 'rows'} — ${d.reason}`));
  }
  if (s.levels) lines.push('', ...formatLevels(s.bot, s.levels, s.dryRun));
  if (s.notes.length > 0) lines.push('', 'Notes:', ...s.notes.map((n) => `  - ${n}`));
  lines.push('', `Done in ${s.seconds.toFixed(1)} s.${totals.unchanged > 0 && totals.imported === 0 && !s.dryRun ? ' Everything was already imported; nothing changed.' : ''}`);
  return lines.join('\n');
}

function formatLevels(bot: string, l: LevelChoice, dryRun: boolean): string[] {
  const out = [`Levels: ${bot}'s curve is not Unicornia's. Of ${fmt(l.members)} members with a level:`];
  const moved = l.xpMode.up + l.xpMode.down;
  out.push(`  --keep xp     XP stays; ${fmt(moved)} ${moved === 1 ? 'member changes' : 'members change'} level (${fmt(l.xpMode.up)} up, ${fmt(l.xpMode.down)} down)`);
  out.push(`  --keep level  levels stay; ${fmt(l.levelMode.xpChanged)} ${l.levelMode.xpChanged === 1 ? "member's" : "members'"} XP changes (same level, same fraction of the next)`);
  if (l.noLevel > 0) out.push(`  ${fmt(l.noLevel)} more ${l.noLevel === 1 ? 'member has' : 'members have'} no level in the file and can only keep their XP`);
  if (l.keep) out.push(`  This run: --keep ${l.keep}.`);
  else if (dryRun) out.push('  Choose one with --keep xp or --keep level when you import for real.');
  return out;
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}
