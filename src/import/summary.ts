/**
 * What an import read, imported, left unchanged and skipped (with why), and its text form for the CLI.
 */
export const SECTIONS = [
  'XP settings',
  'server XP',
  'users',
  'exclusions',
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

export interface ImportSummary {
  source: string;
  target: string;
  generation: string;
  lastMigration: string | null;
  guildId: string | null;
  dryRun: boolean;
  sections: Record<Section, SectionTally>;
  /** Things the owner should know (untranslated placeholders, flattened embeds, …). */
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
  lines.push(`${s.dryRun ? 'Dry run — nothing was written. ' : ''}NadekoBot import from ${s.source} into ${s.target}${s.guildId ? ` (guild ${s.guildId} only)` : ''}`);
  lines.push(`Nadeko schema: ${s.generation}${s.lastMigration ? `; last migration ${s.lastMigration}` : ''}`);
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
  if (reasons.length > 0) {
    lines.push('', 'Skipped:', ...reasons);
  }
  if (s.notes.length > 0) {
    lines.push('', 'Notes:', ...s.notes.map((n) => `  - ${n}`));
  }
  lines.push('', `Done in ${s.seconds.toFixed(1)} s.${totals.unchanged > 0 && totals.imported === 0 && !s.dryRun ? ' Everything was already imported; nothing changed.' : ''}`);
  return lines.join('\n');
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}
