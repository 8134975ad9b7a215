/**
 * Delivers webhook events from the outbox (DESIGN §14.4): every few seconds, the due rows are taken with a lease
 * (so processes sharing the database never send the same row at once), POSTed signed through the SSRF-safe client
 * (the same address policy as image fetches, connecting to the address it checked), deleted on a 2xx, and retried
 * with exponential backoff otherwise. Attempt times are stored, so retries survive restarts; a delivery still
 * failing a day after its event is dropped with a log entry.
 */
import { createHmac } from 'node:crypto';
import type { Writer } from '../storage/write-modules.js';
import type { OutboxRow } from '../storage/webhook-outbox.js';
import type { Clock, Scheduler } from '../util/clock.js';
import type { Logger } from '../util/logger.js';

/** Sends one POST; resolves with the status, rejects when no answer came (refused address, timeout, reset). */
export interface WebhookPoster {
  post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number }>;
}

export interface DelivererOptions {
  /** How often due deliveries are looked for. Default 5 000 ms. */
  intervalMs: number;
  /** Deliveries taken per look. Default 20. */
  batch: number;
  /** How long a taken delivery is reserved for its attempt. Default 60 000 ms. */
  leaseMs: number;
  /** First retry delay; doubles per failed attempt up to `maxDelayMs`. Default 10 000 ms. */
  baseDelayMs: number;
  /** Default 1 hour. */
  maxDelayMs: number;
  /** Deliveries older than this are dropped (logged). Default 24 hours. */
  giveUpMs: number;
}

export const DEFAULT_DELIVERER_OPTIONS: Readonly<DelivererOptions> = Object.freeze({
  intervalMs: 5000,
  batch: 20,
  leaseMs: 60_000,
  baseDelayMs: 10_000,
  maxDelayMs: 3_600_000,
  giveUpMs: 86_400_000,
});

export const SIGNATURE_HEADER = 'x-unicornia-signature';

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: the timestamp is signed with the body (replay window). */
export function signature(secret: string, unixSeconds: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

export class WebhookDeliverer {
  readonly options: DelivererOptions;
  private timer: { cancel(): void } | null = null;
  private running: Promise<number> | null = null;
  private stopped = false;

  constructor(
    private readonly writer: Writer,
    private readonly poster: WebhookPoster,
    private readonly clock: Clock,
    private readonly scheduler: Scheduler,
    private readonly logger: Logger,
    options: Partial<DelivererOptions> = {},
  ) {
    this.options = { ...DEFAULT_DELIVERER_OPTIONS, ...options };
  }

  start(): void {
    this.timer ??= this.scheduler.every(this.options.intervalMs, async () => void (await this.deliverDue()));
  }

  /** Sends what is due now (one pass at a time); resolves with how many were delivered. */
  deliverDue(): Promise<number> {
    if (this.stopped) return Promise.resolve(0);
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pass(): Promise<number> {
    const now = this.clock.wallNow();
    // A stored time further ahead than any delay can only come from a wall clock that stepped back: due (DESIGN §2.8).
    const rows = await this.writer.webhooks.due(now, now + this.options.maxDelayMs + this.options.leaseMs, this.options.batch);
    let delivered = 0;
    for (const row of rows) {
      if (this.stopped) break;
      if (now - row.createdAt > this.options.giveUpMs) {
        await this.giveUp(row, row.attempts === 0 ? 'never attempted (the bot was offline)' : 'still failing');
        continue;
      }
      if (!(await this.writer.webhooks.lease(row.id, row.nextAttemptAt, now + this.options.leaseMs))) continue;
      if (await this.attempt(row)) delivered++;
    }
    return delivered;
  }

  private async attempt(row: OutboxRow): Promise<boolean> {
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Unicornia-Webhooks/1',
      'x-unicornia-event': row.event,
      'idempotency-key': row.eventId,
      'x-unicornia-delivery': String(row.attempts + 1),
      [SIGNATURE_HEADER]: signature(row.secret, Math.floor(this.clock.wallNow() / 1000), row.payload),
    };
    let error: string;
    try {
      const { status } = await this.poster.post(row.url, row.payload, headers);
      if (status >= 200 && status < 300) {
        await this.writer.webhooks.delivered(row.id);
        return true;
      }
      error = `answered ${status}`;
    } catch (e) {
      error = (e as Error).message ?? String(e);
    }
    const now = this.clock.wallNow();
    const last = row.createdAt + this.options.giveUpMs;
    if (now >= last) {
      await this.giveUp(row, error);
      return false;
    }
    const delay = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** row.attempts);
    await this.writer.webhooks.failed(row.id, Math.min(now + delay, last), error);
    return false;
  }

  private async giveUp(row: OutboxRow, reason: string): Promise<void> {
    await this.writer.webhooks.drop(row.id);
    this.logger.warn({ webhookId: row.webhookId, guildId: row.guildId, event: row.event, eventId: row.eventId, attempts: row.attempts, reason }, 'webhook delivery dropped: not delivered within a day');
  }

  /** No new pass starts; the one under way finishes (its rows are written back). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = null;
    await this.running;
  }
}
