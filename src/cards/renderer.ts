/**
 * CardRenderer: a pool of worker threads that draw cards and charts, so the bot's event loop never waits on Skia or an
 * encoder.
 * Bounded: a render that finds every worker busy and the queue full is refused at once (CardRenderError 'busy');
 * a render that takes longer than `timeoutMs` is failed and its worker terminated; a worker that dies is replaced.
 */
import type { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import type { CardContext, RenderResult } from './context.js';
import { CardRenderError } from './errors.js';
import type { PainterOptions } from './painter.js';
import { READY, SHUTDOWN, type RenderJob, type RenderReply, type RenderRequest } from './protocol.js';
import { silentLogger, type Logger } from '../util/logger.js';
import { startWorker } from '../util/worker.js';
import type { z } from 'zod';
import { curveChartSchema, historyChartSchema, type CurveChartContext, type HistoryChartContext } from './charts/context.js';

/** Chart data that does not fit its schema: a programming error of the caller, reported with the field's path. */
function invalid(error: z.ZodError): CardRenderError {
  return new CardRenderError('failed', error.issues.map((i) => `${i.path.join('.') || 'chart'}: ${i.message}`).join('; '), { cause: error });
}

export interface CardRendererOptions {
  /** Worker threads. Default: the number of cores (`os.availableParallelism()`), at most 8. */
  size: number;
  /** Renders that may wait for a free worker; past that, render() rejects with code 'busy'. Default 64. */
  maxQueue: number;
  /** Time limit for one render once a worker has it, in ms; the worker is then terminated and replaced. Default 15 000. */
  timeoutMs: number;
  /** Limits and cache size inside each worker (see PainterOptions). Default: DEFAULT_PAINTER_OPTIONS. */
  painter: Partial<PainterOptions>;
  logger: Logger;
  /** The worker module. Default: worker.ts beside this file (worker.js when compiled). Tests point it elsewhere. */
  workerUrl: URL;
}

const isTs = import.meta.url.endsWith('.ts');

export const DEFAULT_RENDERER_OPTIONS: Readonly<CardRendererOptions> = {
  size: Math.max(1, Math.min(8, availableParallelism())),
  maxQueue: 64,
  timeoutMs: 15_000,
  painter: {},
  logger: silentLogger,
  workerUrl: new URL(isTs ? './worker.ts' : './worker.js', import.meta.url),
};

interface Job {
  id: number;
  job: RenderJob;
  resolve: (r: RenderResult) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
  timer: NodeJS.Timeout | null;
  /** Set once the slot is being replaced, so late events from the old worker are ignored. */
  dead: boolean;
  /** The thread has ended. */
  exited: boolean;
  /** The worker said it is ready (fonts loaded); jobs go only to ready workers, so start-up is not charged to a render. */
  ready: boolean;
}

export class CardRenderer {
  private readonly options: CardRendererOptions;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  /** Workers that died before finishing a single render in a row; used to back off respawning. */
  private failuresInARow = 0;

  constructor(options: Partial<CardRendererOptions> = {}) {
    this.options = { ...DEFAULT_RENDERER_OPTIONS, ...options };
    if (!(this.options.size >= 1)) throw new RangeError('CardRenderer size must be at least 1');
    for (let i = 0; i < this.options.size; i++) this.slots.push(this.spawn());
  }

  /** Workers in the pool. */
  get size(): number {
    return this.slots.length;
  }

  /** Renders waiting for a worker. */
  get queued(): number {
    return this.queue.length;
  }

  /** Draw a card. Rejects with CardRenderError ('busy', 'timeout', 'crashed', 'closed', 'failed'). */
  render(ctx: CardContext): Promise<RenderResult> {
    return this.run({ kind: 'card', ctx });
  }

  /** Draw the `curve preview` chart (PNG). Rejects with CardRenderError; 'failed' names a field the data got wrong. */
  renderCurveChart(ctx: CurveChartContext): Promise<RenderResult> {
    const parsed = curveChartSchema.safeParse(ctx);
    return parsed.success ? this.run({ kind: 'curve', ctx: parsed.data }) : Promise.reject(invalid(parsed.error));
  }

  /** Draw the `level history` chart (PNG). Rejects with CardRenderError; 'failed' names a field the data got wrong. */
  renderHistoryChart(ctx: HistoryChartContext): Promise<RenderResult> {
    const parsed = historyChartSchema.safeParse(ctx);
    return parsed.success ? this.run({ kind: 'history', ctx: parsed.data }) : Promise.reject(invalid(parsed.error));
  }

  private run(job: RenderJob): Promise<RenderResult> {
    if (this.closed) return Promise.reject(new CardRenderError('closed'));
    // Room: one job for each worker that has none (even if still starting), plus maxQueue waiting.
    const free = this.slots.filter((s) => !s.job && !s.dead).length;
    if (this.queue.length >= free + this.options.maxQueue) return Promise.reject(new CardRenderError('busy'));
    return new Promise<RenderResult>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, job, resolve, reject });
      this.pump();
    });
  }

  /** Reject waiting renders, stop every worker. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new CardRenderError('closed'));
    await Promise.all(
      this.slots.map(async (slot) => {
        slot.dead = true;
        if (slot.timer) clearTimeout(slot.timer);
        slot.job?.reject(new CardRenderError('closed'));
        slot.job = null;
        await this.stop(slot);
      }),
    );
  }

  /** Ask a worker to finish on its own; terminate it if it has not within a second. */
  private async stop(slot: Slot): Promise<void> {
    if (slot.exited) return;
    const exited = new Promise<void>((resolve) => slot.worker.once('exit', () => resolve()));
    slot.worker.postMessage(SHUTDOWN);
    const timer = setTimeout(() => void slot.worker.terminate(), 1_000);
    await exited;
    clearTimeout(timer);
  }

  private spawn(): Slot {
    const workerData = { painter: this.options.painter };
    const worker = startWorker(this.options.workerUrl, workerData);
    const slot: Slot = { worker, job: null, timer: null, dead: false, exited: false, ready: false };
    worker.unref(); // an idle pool never keeps the process alive; a busy worker is ref'd while it works
    worker.on('message', (reply: RenderReply | typeof READY) => {
      if (reply === READY) {
        slot.ready = true;
        this.pump();
      } else {
        this.onReply(slot, reply);
      }
    });
    worker.on('error', (err) => this.onDeath(slot, err));
    worker.on('exit', (code) => {
      slot.exited = true;
      this.onDeath(slot, new Error(`worker exited with code ${code}`));
    });
    return slot;
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.job || slot.dead || !slot.ready) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.worker.ref();
      slot.timer = setTimeout(() => this.onTimeout(slot), this.options.timeoutMs);
      const req: RenderRequest = { id: job.id, job: job.job };
      slot.worker.postMessage(req);
    }
  }

  private onReply(slot: Slot, reply: RenderReply): void {
    const job = slot.job;
    if (slot.dead || !job || reply.id !== job.id) return;
    this.finish(slot);
    this.failuresInARow = 0;
    if (reply.ok) {
      const bytes = Buffer.from(reply.bytes.buffer, reply.bytes.byteOffset, reply.bytes.byteLength);
      job.resolve({ bytes, format: reply.format, ms: reply.ms, width: reply.width, height: reply.height, frames: reply.frames, accent: reply.accent });
    } else {
      job.reject(new CardRenderError('failed', reply.message));
    }
    this.pump();
  }

  private finish(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
    slot.worker.unref();
  }

  private onTimeout(slot: Slot): void {
    const job = slot.job;
    if (slot.dead || !job) return;
    this.options.logger.warn({ timeoutMs: this.options.timeoutMs }, 'card render timed out; replacing the worker');
    this.finish(slot);
    job.reject(new CardRenderError('timeout', `over ${this.options.timeoutMs} ms`));
    this.replace(slot, false);
  }

  private onDeath(slot: Slot, err: Error): void {
    if (slot.dead || this.closed) return;
    const job = slot.job;
    this.options.logger.error({ err }, 'card worker died; replacing it');
    this.finish(slot);
    job?.reject(new CardRenderError('crashed', err.message, { cause: err }));
    this.failuresInARow++;
    this.replace(slot, true);
  }

  /** Put a fresh worker in the slot's place; after repeated deaths wait a little longer each time. */
  private replace(old: Slot, backoff: boolean): void {
    old.dead = true;
    void old.worker.terminate().catch(() => {});
    const index = this.slots.indexOf(old);
    const delay = backoff && this.failuresInARow > 1 ? Math.min(5_000, 100 * 2 ** (this.failuresInARow - 2)) : 0;
    const respawn = () => {
      if (this.closed || index < 0) return;
      this.slots[index] = this.spawn();
      this.pump();
    };
    if (delay === 0) respawn();
    else setTimeout(respawn, delay).unref();
  }
}
