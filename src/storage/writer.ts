/**
 * Writers: where the write modules run.
 * - `WorkerWriter` (production): a worker thread with its own connection, so a 100 000-row flush (1–2 s of
 *   synchronous SQLite) never stalls the bot's event loop. Calls run in order; a crashed worker is restarted and
 *   the calls it was running fail (the flusher retries them, nothing is lost).
 * - `inlineWriter` (tests, CLI tools): the same modules on a given connection, in this thread.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../util/worker.js';
import type { Db } from './database.js';
import { createWriteModules, dispatch, writerProxy, type Writer, type WriterContext } from './write-modules.js';
import { planFlush, planTransfer } from './flush-plan.js';
import type { FlushBatch } from '../engine/ports.js';

export function inlineWriter(db: Db, ctx: WriterContext): Writer {
  const modules = createWriteModules(db, ctx);
  return writerProxy(
    async (module, method, args) => dispatch(modules, module, method, args),
    async () => {},
  );
}

export interface WorkerWriterOptions extends WriterContext {
  path: string;
  busyTimeoutMs?: number;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export type WorkerReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: { message: string; name: string } };

export function workerWriter(options: WorkerWriterOptions): Writer {
  let worker: Worker | null = null;
  let nextId = 1;
  let closing = false;
  const pending = new Map<number, Pending>();

  const start = (): Worker => {
    const w = startWorker(new URL('./writer-worker.ts', import.meta.url), { ...options });
    w.on('message', (reply: WorkerReply) => {
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      if (reply.ok) p.resolve(reply.value);
      else p.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name }));
    });
    const fail = (error: Error) => {
      for (const p of pending.values()) p.reject(error);
      pending.clear();
      worker = null;
    };
    w.on('error', fail);
    w.on('exit', (code) => {
      if (worker === w) fail(new Error(`storage writer thread exited with code ${code}`));
    });
    return w;
  };

  return writerProxy(
    (module, method, args) =>
      new Promise((resolve, reject) => {
        if (closing) return reject(new Error('the storage writer is closed'));
        worker ??= start();
        const id = nextId++;
        pending.set(id, { resolve, reject });
        if (module === 'xp' && method === 'flush') {
          // A flush batch crosses planned (src/storage/flush-plan.ts): cloning its objects stalled the event loop.
          const plan = planFlush(args[0] as FlushBatch);
          worker.postMessage({ id, module, method: 'flushPlan', args: [plan] }, planTransfer(plan));
        } else worker.postMessage({ id, module, method, args });
      }),
    async () => {
      closing = true;
      const w = worker;
      if (!w) return;
      // The worker answers 'close' after every earlier message, then closes its connection and exits.
      await new Promise<void>((resolve) => {
        w.once('exit', () => resolve());
        w.postMessage({ id: 0, module: '', method: 'close', args: [] });
      });
      worker = null;
    },
  );
}
