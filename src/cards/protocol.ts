/** Messages between CardRenderer (main thread) and its worker threads. Plain, structured-cloneable data. */
import type { CardContext, CardFormat } from './context.js';

export interface RenderRequest {
  id: number;
  ctx: CardContext;
}

export type RenderReply =
  | { id: number; ok: true; bytes: Uint8Array; format: CardFormat; width: number; height: number; frames: number; ms: number }
  | { id: number; ok: false; message: string };
