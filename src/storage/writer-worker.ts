/** The storage writer thread: one connection, the write modules, one message in → one reply out, in order. */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from './database.js';
import { createWriteModules, dispatch } from './write-modules.js';
import type { WorkerWriterOptions, WorkerReply } from './writer.js';

const options = workerData as WorkerWriterOptions;
/** The writer connection's page cache, at most. */
const WRITER_CACHE_MIB = 256;
const db = openDatabase(options.path, { busyTimeoutMs: options.busyTimeoutMs ?? 5000 });
// The flush touches pages all over the member tables, their period totals and their indexes; with SQLite's default
// 2 MiB cache a 100 000-gain flush into 2 000 000 members (history and periods included) re-reads most of them from
// the OS for every row, and took twice the CPU. Pages are cached as they are first read, so a small server's
// writer never holds more than its file. (docs/PERFORMANCE.md, history)
db.pragma(`cache_size = -${WRITER_CACHE_MIB * 1024}`);
const modules = createWriteModules(db, options);

parentPort!.on('message', (msg: { id: number; module: string; method: string; args: unknown[] }) => {
  if (msg.method === 'close' && msg.module === '') {
    db.close();
    process.exit(0);
  }
  let reply: WorkerReply;
  try {
    reply = { id: msg.id, ok: true, value: dispatch(modules, msg.module, msg.method, msg.args) };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    reply = { id: msg.id, ok: false, error: { message: e.message, name: e.name } };
  }
  parentPort!.postMessage(reply);
});
