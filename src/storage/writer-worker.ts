/** The storage writer thread: one connection, the write modules, one message in → one reply out, in order. */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from './database.js';
import { createWriteModules, dispatch } from './write-modules.js';
import type { WorkerWriterOptions, WorkerReply } from './writer.js';

const options = workerData as WorkerWriterOptions;
const db = openDatabase(options.path, { busyTimeoutMs: options.busyTimeoutMs ?? 5000 });
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
