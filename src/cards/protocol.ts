/** Messages between CardRenderer (main thread) and its worker threads. Plain, structured-cloneable data. */
import type { CardContext, CardFormat } from './context.js';
import type { AccentVerdict } from './contrast.js';
import type { CurveChart, HistoryChart } from './charts/context.js';

/** What a worker draws: an XP card (or level-up card), or a chart (already validated by the renderer). */
export type RenderJob = { kind: 'card'; ctx: CardContext } | { kind: 'curve'; ctx: CurveChart } | { kind: 'history'; ctx: HistoryChart };

export interface RenderRequest {
  id: number;
  job: RenderJob;
}

export type RenderReply =
  | { id: number; ok: true; bytes: Uint8Array; format: CardFormat; width: number; height: number; frames: number; ms: number; accent: AccentVerdict | null }
  | { id: number; ok: false; message: string };

/** Sent once by a worker when it can take renders. */
export const READY = 'ready';

/** Sent to a worker to make it drop its caches and end. */
export const SHUTDOWN = 'shutdown';
