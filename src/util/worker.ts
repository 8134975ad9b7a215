/**
 * Starting a worker thread from a TypeScript entry. Node 20 cannot strip types, and `--import tsx` in a
 * worker's execArgv does not cover the worker's own entry module, so a tiny bootstrap registers tsx's ESM
 * loader first and then imports the entry. Compiled `.js` entries start directly.
 */
import { Worker, type Transferable } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const TS_BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
(async () => {
  const api = await import(workerData.__tsx);
  (api.register ?? api.default.register)();
  await import(workerData.__entry);
})().catch((err) => setImmediate(() => { throw err; }));
`;

let tsxUrl: string | undefined;
/** The ESM build of `tsx/esm/api` (require.resolve would give the CJS build, which cannot register in a worker). */
function tsxApiUrl(): string {
  if (!tsxUrl) {
    const pkgPath = createRequire(import.meta.url).resolve('tsx/package.json');
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports: Record<string, { import?: { default?: string } }> };
    const rel = pkg.exports['./esm/api']?.import?.default ?? './dist/esm/api/index.mjs';
    tsxUrl = new URL(rel, pathToFileURL(pkgPath)).href;
  }
  return tsxUrl;
}

/** `transferList`: objects in `workerData` that move to the worker (a MessagePort). */
export function startWorker(entry: URL, workerData: Record<string, unknown>, transferList: Transferable[] = []): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData, transferList });
  return new Worker(TS_BOOTSTRAP, { eval: true, workerData: { ...workerData, __entry: entry.href, __tsx: tsxApiUrl() }, transferList });
}
