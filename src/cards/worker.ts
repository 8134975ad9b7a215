/**
 * Worker thread entry: one CardPainter (fonts registered, caches warm) serving render requests one at a time: cards,
 * level-up cards and charts.
 * Loaded by CardRenderer; under TypeScript sources it runs with `--import tsx`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CardPainter, type PainterOptions, type PaintResult } from './painter.js';
import { paintCurveChart } from './charts/curve.js';
import { ChartBackdrops } from './charts/frame.js';
import { paintHistoryChart } from './charts/history.js';
import { READY, SHUTDOWN, type RenderJob, type RenderReply, type RenderRequest } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('src/cards/worker.ts must run in a worker thread');

const chartBackdrops = new ChartBackdrops();
const painter = new CardPainter((workerData as { painter?: Partial<PainterOptions> } | undefined)?.painter ?? {});

function paint(job: RenderJob): PaintResult {
  switch (job.kind) {
    case 'card':
      return painter.paint(job.ctx);
    case 'curve':
      return paintCurveChart(job.ctx, chartBackdrops);
    case 'history':
      return paintHistoryChart(job.ctx, chartBackdrops);
  }
}

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
    const out = paint(req.job);
    // Copy into an ArrayBuffer of our own (Buffers may share a pool) and hand it over without another copy.
    const bytes = new Uint8Array(out.bytes);
    transfer.push(bytes.buffer);
    reply = { id: req.id, ok: true, bytes, format: out.format, width: out.width, height: out.height, frames: out.frames, ms: performance.now() - started, accent: out.accent };
  } catch (err) {
    reply = { id: req.id, ok: false, message: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(reply, transfer);
});

port.postMessage(READY);
