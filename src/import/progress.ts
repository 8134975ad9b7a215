/**
 * Progress for the import CLI: a bar per section on a TTY (cli-progress), plain lines otherwise (logs, CI, pipes),
 * at most one line a second per section plus one when it ends. Both go to stderr; the summary goes to stdout.
 */
import cliProgress from 'cli-progress';
import type { ProgressSink } from './runner.js';

export function progressFor(stream: NodeJS.WriteStream = process.stderr): ProgressSink {
  return stream.isTTY ? new BarProgress(stream) : new LineProgress(stream);
}

class BarProgress implements ProgressSink {
  private bar: cliProgress.SingleBar | null = null;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  start(label: string, total: number): void {
    this.bar = null;
    if (total <= 0) return; // nothing to read: no empty bar with an endless ETA
    this.bar = new cliProgress.SingleBar(
      {
        stream: this.stream,
        format: `${label.padEnd(16)} [{bar}] {percentage}% | {value}/{total} rows | {eta_formatted}`,
        hideCursor: true,
        clearOnComplete: false,
        etaBuffer: 20,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(Math.max(total, 0), 0);
  }

  update(_label: string, done: number): void {
    if (!this.bar) return;
    if (done > this.bar.getTotal()) this.bar.setTotal(done);
    this.bar.update(done);
  }

  finish(): void {
    this.bar?.stop();
    this.bar = null;
  }
}

export class LineProgress implements ProgressSink {
  private total = 0;
  private done = 0;
  private lastAt = 0;

  constructor(
    private readonly stream: { write(s: string): unknown },
    private readonly now: () => number = Date.now,
  ) {}

  start(_label: string, total: number): void {
    this.total = total;
    this.done = 0;
    this.lastAt = this.now();
  }

  update(label: string, done: number): void {
    this.done = done;
    const t = this.now();
    if (t - this.lastAt < 1000) return;
    this.lastAt = t;
    this.line(label, done);
  }

  finish(label: string): void {
    this.line(label, null);
  }

  private line(label: string, done: number | null): void {
    const n = (v: number) => v.toLocaleString('en-US');
    if (done === null) this.stream.write(`${label}: done, ${n(this.done)} rows read\n`);
    else {
      const pct = this.total > 0 ? ` (${Math.floor((done / this.total) * 100)}%)` : '';
      this.stream.write(`${label}: ${n(done)}/${n(this.total)} rows${pct}\n`);
    }
  }
}
