/**
 * The simulator's observable events and the waiting helpers built on them, so tests wait for what they expect
 * instead of sleeping. Every state change also emits `change`, which `waitUntil` re-checks its condition on.
 */
import { EventEmitter } from 'node:events';
import type { SimMember, SimMessage, SimVoiceState } from './state.js';

/** One REST request as the simulator saw it. */
export interface RestCall {
  method: string;
  /** The decoded path after `/api/v10`, e.g. `/webhooks/1/tok/messages/@original`. */
  path: string;
  /** The route pattern that matched, e.g. `/channels/:channelId/messages`; null when no route matched. */
  route: string | null;
  status: number;
  /** Parsed JSON body (`payload_json` for multipart), or null. */
  body: unknown;
  /** Why an error status was returned (e.g. which role was above the bot), for assertions and debugging. */
  error: string | null;
  /** Wall-clock ms when the request arrived. */
  at: number;
}

/** What one interaction callback (`POST /interactions/:id/:token/callback`) did. */
export interface InteractionCallback {
  interactionId: string;
  /** InteractionResponseType: 4 reply, 5 deferred reply, 6 deferred update, 7 update, 8 autocomplete, 9 modal. */
  type: number;
  data: unknown;
}

export interface SimulatorEventMap {
  /** A message was created anywhere (users, the bot, interaction replies and follow-ups, ephemeral ones too). */
  message: SimMessage;
  messageUpdate: SimMessage;
  messageDelete: SimMessage;
  /** A member's roles or nickname changed (through REST or the driver). */
  memberUpdate: SimMember;
  voiceStateUpdate: { guildId: string; userId: string; state: SimVoiceState | null };
  interactionCallback: InteractionCallback;
  rest: RestCall;
  /** A client identified on the gateway with these intents; READY follows immediately. */
  identify: { sessionId: string; intents: number; shard: [number, number] };
  resume: { sessionId: string; replayed: number };
  /** A gateway connection closed; `code` is the WebSocket close code (ours or the client's). */
  gatewayClose: { sessionId: string | null; code: number };
  /** Any state change at all: what `waitUntil` listens to. */
  change: undefined;
}

export type SimulatorEventName = keyof SimulatorEventMap;

export interface WaitOptions {
  /** Reject after this long. Default 5 000 ms: long for a simulator on 127.0.0.1, short enough to fail fast. */
  timeoutMs?: number;
}

const DEFAULT_WAIT_MS = 5_000;

export class SimulatorEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Many concurrent waiters are normal in tests (one per expected event); they are all removed when settled.
    this.emitter.setMaxListeners(0);
  }

  emit<E extends SimulatorEventName>(event: E, payload: SimulatorEventMap[E]): void {
    // listenerCount first: the bulk-load path emits per message, and usually nobody listens.
    if (this.emitter.listenerCount(event) > 0) this.emitter.emit(event, payload);
    if (event !== 'change' && this.emitter.listenerCount('change') > 0) this.emitter.emit('change');
  }

  on<E extends SimulatorEventName>(event: E, listener: (payload: SimulatorEventMap[E]) => void): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }

  /** The next `event` (after this call) whose payload satisfies `predicate`. */
  waitFor<E extends SimulatorEventName>(
    event: E,
    predicate: (payload: SimulatorEventMap[E]) => boolean = () => true,
    options: WaitOptions = {},
  ): Promise<SimulatorEventMap[E]> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
    return new Promise((resolve, reject) => {
      const listener = (payload: SimulatorEventMap[E]): void => {
        let matched: boolean;
        try {
          matched = predicate(payload);
        } catch (error) {
          settle();
          reject(error as Error);
          return;
        }
        if (matched) {
          settle();
          resolve(payload);
        }
      };
      const timer = setTimeout(() => {
        settle();
        reject(new Error(`DiscordSimulator: timed out after ${timeoutMs} ms waiting for '${event}'`));
      }, timeoutMs);
      const settle = (): void => {
        clearTimeout(timer);
        this.emitter.off(event, listener);
      };
      this.emitter.on(event, listener);
    });
  }

  /**
   * Resolves with `check()`'s first non-undefined, non-false value, testing now and after every state change:
   * race-free for conditions that may already hold.
   */
  waitUntil<T>(check: () => T | undefined | false, options: WaitOptions & { description?: string } = {}): Promise<T> {
    const first = check();
    if (first !== undefined && first !== false) return Promise.resolve(first);
    const what = options.description ?? 'condition';
    return this.waitFor(
      'change',
      () => {
        const value = check();
        return value !== undefined && value !== false;
      },
      options,
    ).then(
      () => check() as T,
      (error: Error) => {
        throw new Error(error.message.replace("'change'", what));
      },
    );
  }
}
