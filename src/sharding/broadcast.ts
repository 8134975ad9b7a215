/**
 * Actions every bot process must take when one of them is told to (DESIGN §12.2): today `xpshop reload`. One
 * process runs them itself; processes under the sharding manager send them through it over the IPC channel (the
 * manager relays to the others and collects their answers); processes on several hosts need the database's own
 * channel (PostgreSQL LISTEN/NOTIFY).
 */

export type BroadcastKind = 'reloadConfig';

export interface BroadcastResult {
  /** Other processes that ran the action. */
  reached: number;
  /** Other processes that exist (reached, failed, or silent past the timeout). */
  of: number;
  /** What went wrong in the others, one line each. */
  failures: string[];
}

export interface Broadcast {
  /** What this process does when another one broadcasts `kind`. One handler per kind. */
  handle(kind: BroadcastKind, handler: () => Promise<void>): void;
  /** Runs `kind` in every other process and says how many did. The caller has already run it here. */
  toOthers(kind: BroadcastKind): Promise<BroadcastResult>;
  close(): void;
}

/** One process: nobody else to tell. */
export class LocalBroadcast implements Broadcast {
  handle(): void {}
  async toOthers(): Promise<BroadcastResult> {
    return { reached: 0, of: 0, failures: [] };
  }
  close(): void {}
}

/** The IPC messages between shard processes and the manager. Tagged so discord.js's own messages pass untouched. */
export type IpcMessage =
  | { unicornia: 'broadcast'; id: number; kind: BroadcastKind }
  | { unicornia: 'run'; id: number; kind: BroadcastKind }
  | { unicornia: 'ran'; id: number; error: string | null }
  | { unicornia: 'result'; id: number; result: BroadcastResult };

export function isIpcMessage(m: unknown): m is IpcMessage {
  return typeof m === 'object' && m !== null && typeof (m as { unicornia?: unknown }).unicornia === 'string';
}

/** The IPC channel of a process forked by the manager (`process` itself). */
export interface IpcPort {
  send(message: IpcMessage): unknown;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
}

/** A shard process's side: asks the manager to broadcast, runs what the manager relays. */
export class IpcBroadcast implements Broadcast {
  private readonly handlers = new Map<BroadcastKind, () => Promise<void>>();
  private readonly waiting = new Map<number, (result: BroadcastResult) => void>();
  private nextId = 1;
  private readonly listener = (message: unknown): void => {
    if (!isIpcMessage(message)) return;
    if (message.unicornia === 'result') {
      this.waiting.get(message.id)?.(message.result);
      this.waiting.delete(message.id);
    } else if (message.unicornia === 'run') {
      const handler = this.handlers.get(message.kind);
      const ran = handler ? handler() : Promise.reject(new Error(`no handler for ${message.kind}`));
      void ran.then(
        () => this.port.send({ unicornia: 'ran', id: message.id, error: null }),
        (error: unknown) => this.port.send({ unicornia: 'ran', id: message.id, error: error instanceof Error ? error.message : String(error) }),
      );
    }
  };

  constructor(private readonly port: IpcPort) {
    port.on('message', this.listener);
  }

  handle(kind: BroadcastKind, handler: () => Promise<void>): void {
    this.handlers.set(kind, handler);
  }

  toOthers(kind: BroadcastKind): Promise<BroadcastResult> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.port.send({ unicornia: 'broadcast', id, kind });
    });
  }

  close(): void {
    this.port.off('message', this.listener);
    for (const resolve of this.waiting.values()) resolve({ reached: 0, of: 0, failures: ['this process is stopping'] });
    this.waiting.clear();
  }
}

/** A live shard process as the manager sees it. */
export interface HubChild {
  id: number;
  /** False while the process is down or respawning: it reads the files afresh when it starts anyway. */
  alive: boolean;
  send(message: IpcMessage): Promise<unknown>;
}

/**
 * The manager's side: relays a broadcast to every other live process and answers the one that asked with the
 * tally. A process that does not answer within `timeoutMs` counts as not reached.
 */
export class BroadcastHub {
  private nextId = 1;
  private readonly pending = new Map<number, (from: number, error: string | null) => void>();

  constructor(
    private readonly children: () => HubChild[],
    private readonly timeoutMs = 10_000,
  ) {}

  /** Feeds a message a child sent; returns false when it is not one of ours. */
  receive(from: HubChild, message: unknown): boolean {
    if (!isIpcMessage(message)) return false;
    if (message.unicornia === 'ran') this.pending.get(message.id)?.(from.id, message.error);
    else if (message.unicornia === 'broadcast') void this.relay(from, message.id, message.kind);
    return true;
  }

  private async relay(origin: HubChild, originId: number, kind: BroadcastKind): Promise<void> {
    const others = this.children().filter((c) => c.id !== origin.id);
    const live = others.filter((c) => c.alive);
    const failures = others.filter((c) => !c.alive).map((c) => `process ${c.id} is restarting (it reads the file when it starts)`);
    const answered = new Set<number>();
    let reached = 0;
    const id = this.nextId++;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.timeoutMs);
      this.pending.set(id, (from, error) => {
        if (answered.has(from)) return;
        answered.add(from);
        if (error === null) reached += 1;
        else failures.push(`process ${from}: ${error}`);
        if (answered.size === live.length) {
          clearTimeout(timer);
          resolve();
        }
      });
      if (live.length === 0) {
        clearTimeout(timer);
        resolve();
      }
      for (const c of live) {
        c.send({ unicornia: 'run', id, kind }).catch((error: unknown) => this.pending.get(id)?.(c.id, `unreachable (${(error as Error).message})`));
      }
    });
    this.pending.delete(id);
    for (const c of live) if (!answered.has(c.id)) failures.push(`process ${c.id} did not answer within ${this.timeoutMs / 1000} s`);
    await origin.send({ unicornia: 'result', id: originId, result: { reached, of: others.length, failures } }).catch(() => {});
  }
}
