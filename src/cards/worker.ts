/**
 * Worker thread entry: one CardPainter (fonts registered, caches warm) serving render requests one at a time.
 * Loaded by CardRenderer; under TypeScript sources it runs with `--import tsx`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CardPainter, type PainterOptions } from './painter.js';
import { READY, SHUTDOWN, type RenderReply, type RenderRequest } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('src/cards/worker.ts must run in a worker thread');

const painter = new CardPainter((workerData as { painter?: Partial<PainterOptions> } | undefined)?.painter ?? {});

port.on('message', (req: RenderRequest | typeof SHUTDOWN) => {
  if (req === SHUTDOWN) {
    // Let the thread end on its own (caches dropped, port closed) rather than being torn down mid-object.
    painter.clear();
    port.close();
    return;
  }
  const started = performance.now();
  let reply: RenderReply;
  const transfer: ArrayBuffer[] = [];
  try {
    const out = painter.paint(req.ctx);
    // Copy into an ArrayBuffer of our own (Buffers may share a pool) and hand it over without another copy.
    const bytes = new Uint8Array(out.bytes);
    transfer.push(bytes.buffer);
    reply = { id: req.id, ok: true, bytes, format: out.format, width: out.width, height: out.height, frames: out.frames, ms: performance.now() - started };
  } catch (err) {
    reply = { id: req.id, ok: false, message: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(reply, transfer);
});

port.postMessage(READY);
