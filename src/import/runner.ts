/**
 * What every import shares: batching a section's rows into store calls, tallying them (imported, unchanged,
 * skipped per reason, notes) and reporting progress. A source reads and maps; the store writes (one transaction
 * per batch together with the ledger); the runner sits between them.
 */
import type { Awaitable } from '../storage/ports.js';
import type { BatchTally } from '../storage/import-rules.js';
import type { Section, SectionTally } from './summary.js';

export type Skip = { skip: string };

/** Receives progress; the CLI draws a bar on a TTY and prints plain lines otherwise. */
export interface ProgressSink {
  start(label: string, total: number): void;
  update(label: string, done: number): void;
  finish(label: string): void;
}

export function isSkip(r: unknown): r is Skip {
  return typeof r === 'object' && r !== null && 'skip' in r;
}

export function* mapRows<T, U>(rows: Iterable<T | Skip>, fn: (row: T) => U | Skip): Generator<U | Skip> {
  for (const r of rows) yield isSkip(r) ? r : fn(r);
}

/** Sums tallies of several store calls that together apply one batch. */
export function mergeTallies(...tallies: BatchTally[]): BatchTally {
  const out: BatchTally = { imported: 0, unchanged: 0, skipped: {}, notes: {} };
  for (const t of tallies) {
    out.imported += t.imported;
    out.unchanged += t.unchanged;
    for (const [why, n] of Object.entries(t.skipped)) out.skipped[why] = (out.skipped[why] ?? 0) + n;
    for (const [what, n] of Object.entries(t.notes)) out.notes[what] = (out.notes[what] ?? 0) + n;
  }
  return out;
}

export class Runner {
  /** Notes the store raised, with how often. */
  readonly notes = new Map<string, number>();

  constructor(
    private readonly sections: Record<Section, SectionTally>,
    private readonly batchSize: number,
    private readonly progress: ProgressSink | null,
  ) {}

  async section<T>(name: Section, total: number | null, rows: Iterable<T | Skip>, apply: (batch: T[]) => Awaitable<BatchTally>): Promise<void> {
    const tally = this.sections[name];
    const list = total === null ? [...rows] : rows; // unknown size: small tables, read them first to count
    this.progress?.start(name, total ?? (list as unknown[]).length);
    let batch: T[] = [];
    const flush = async () => {
      const t = await apply(batch);
      tally.imported += t.imported;
      tally.unchanged += t.unchanged;
      for (const [why, n] of Object.entries(t.skipped)) tally.skipped[why] = (tally.skipped[why] ?? 0) + n;
      for (const [what, n] of Object.entries(t.notes)) this.notes.set(what, (this.notes.get(what) ?? 0) + n);
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

  /** The store's notes as summary lines: "text", or "N × text" when it happened several times. */
  noteLines(): string[] {
    return [...this.notes].map(([text, n]) => (n === 1 ? text : `${n.toLocaleString('en-US')} × ${text}`));
  }
}
