/**
 * Many rows per statement: `… VALUES (?, …), (?, …), …` in chunks, so a flush of 100 000 rows runs 100 statements
 * instead of 100 000. Each run of a prepared statement costs a bind, a step and a reset through the driver, which
 * for small upserts is a large share of the work; the rows themselves still go through the same SQL.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';

/** Rows per statement: 500 rows of up to 6 values stay far below SQLite's 32 766 bound variables. */
const CHUNK = 500;

export class MultiRowStatement {
  private readonly full: Statement;
  private readonly tuple: string;

  /**
   * `sql(values)` is the statement with `values` standing for the row list; `width` the values per row. Rows run in
   * the order given (keep them sorted by key, DESIGN §2.2).
   */
  constructor(
    private readonly db: Db,
    private readonly sql: (values: string) => string,
    private readonly width: number,
  ) {
    this.tuple = `(${new Array<string>(width).fill('?').join(', ')})`;
    this.full = db.prepare(this.statement(CHUNK));
  }

  private statement(rows: number): string {
    return this.sql(new Array<string>(rows).fill(this.tuple).join(', '));
  }

  /** Runs every row; `row(i, out)` pushes the `width` values of row i onto `out`. */
  run(count: number, row: (i: number, out: unknown[]) => void): void {
    const values: unknown[] = [];
    let i = 0;
    for (; i + CHUNK <= count; i += CHUNK) {
      values.length = 0;
      for (let j = i; j < i + CHUNK; j++) row(j, values);
      this.full.run(values);
    }
    if (i === count) return;
    values.length = 0;
    for (let j = i; j < count; j++) row(j, values);
    this.db.prepare(this.statement(count - i)).run(values);
  }
}
