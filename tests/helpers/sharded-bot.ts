/**
 * `npm start` with SHARD_PROCESSES > 1 as a child process: the real sharding manager forking real bot processes
 * against the simulator. Reads the JSON log lines to know which process (pid) serves which shard, so tests can kill
 * one and wait for the manager to bring it back.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { PermissionFlagsBits } from 'discord.js';
import type { DiscordSimulator, SimMessage } from '../../src/simulator/index.js';

export interface ShardedBot {
  child: ChildProcess;
  /** Everything the manager and its processes printed. */
  output(): string;
  /** The pid serving `shard` now, or null while it is down. */
  pid(shard: number): number | null;
  /** Resolves with the pid once a process serving `shard` has logged in (at once if one is up). */
  up(shard: number): Promise<number>;
  /** Kills the process serving `shard` with `signal`; it counts as down until a new one has logged in. */
  kill(shard: number, signal: NodeJS.Signals): Promise<void>;
  /** SIGTERM to the manager (every process saves and stops); resolves with the manager's exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL to the manager and every process it forked (test teardown). */
  destroy(): void;
  exited: Promise<number | null>;
}

export function startShardedBot(env: Record<string, string>): ShardedBot {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env: { ...process.env, LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let partial = '';
  const pids = new Map<number, number>();
  const everPids = new Set<number>();
  const waiters: { shard: number; resolve: (pid: number) => void }[] = [];
  const onLine = (line: string) => {
    if (!line.startsWith('{')) return;
    let entry: { msg?: string; shards?: number[]; pid?: number };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      return;
    }
    if (entry.msg !== 'logged in' || !entry.shards || entry.pid === undefined) return;
    everPids.add(entry.pid);
    for (const shard of entry.shards) {
      pids.set(shard, entry.pid);
      for (const w of waiters.filter((x) => x.shard === shard)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(entry.pid);
      }
    }
  };
  const onData = (d: Buffer) => {
    out += d;
    partial += d;
    const lines = partial.split('\n');
    partial = lines.pop()!;
    for (const line of lines) onLine(line);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const bot: ShardedBot = {
    child,
    output: () => out,
    pid: (shard) => pids.get(shard) ?? null,
    up: (shard) => {
      const pid = pids.get(shard);
      return pid !== undefined ? Promise.resolve(pid) : new Promise((resolve) => waiters.push({ shard, resolve }));
    },
    async kill(shard, signal) {
      const pid = pids.get(shard);
      if (pid === undefined) throw new Error(`no process serves shard ${shard}`);
      for (const [s, p] of pids) if (p === pid) pids.delete(s);
      process.kill(pid, signal);
    },
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
    destroy() {
      for (const pid of everPids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      child.kill('SIGKILL');
    },
    exited,
  };
  return bot;
}

/**
 * Sends a prefix command and resolves with the bot's reply. Events of one shard arrive in order on one connection
 * and a message's XP is counted synchronously when it arrives, so a reply also proves every message sent before it
 * to that shard has been counted.
 */
export function command(sim: DiscordSimulator, channelId: string, authorId: string, content: string, timeoutMs = 60_000): Promise<SimMessage> {
  const reply = sim.waitFor('message', (m) => m.authorId === sim.botUser.id && m.reference?.messageId === sent.id, { timeoutMs });
  const sent = sim.sendMessage({ channelId, authorId, content });
  return reply;
}

/** The bot's permissions in the test guilds: read and send, nothing more. */
export const BOT_PERMISSIONS = PermissionFlagsBits.SendMessages | PermissionFlagsBits.ViewChannel;
