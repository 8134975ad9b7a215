/** Messages between CardRenderer (main thread) and its worker threads. Plain, structured-cloneable data. */
import type { CardContext, CardFormat } from './context.js';

export interface RenderRequest {
  id: number;
  ctx: CardContext;
}

export type RenderReply =
  | { id: number; ok: true; bytes: Uint8Array; format: CardFormat; width: number; height: number; frames: number; ms: number }
  | { id: number; ok: false; message: string };

/** Sent once by a worker when it can take renders. */
export const READY = 'ready';

/** Sent to a worker to make it drop its caches and end. */
export const SHUTDOWN = 'shutdown';
