/**
 * Everything a card shows, as plain data: the renderer knows nothing of Discord, the database or the network.
 * The caller gathers it (with XP from the engine's buffer, not only the database) and fetches images beforehand;
 * an image that could not be fetched is `null` and the card draws a placeholder.
 */
import type { CardTemplate } from './template.js';

export interface CardContext {
  /** Display name as shown in the guild; any Unicode (emoji, CJK, …). Cut with an ellipsis when too long. */
  displayName: string;
  /** Avatar image bytes (PNG/JPEG/WebP/GIF, first frame used), ideally small (Discord CDN `?size=128`); null = placeholder. */
  avatar: Uint8Array | null;
  level: number;
  /** 1-based position on the guild leaderboard; null or 0 when unranked (shown as "—"). */
  rank: number | null;
  /** XP earned inside the current level, and XP the level needs in all (the bar shows xpInLevel / xpNeeded). */
  xpInLevel: number;
  xpNeeded: number;
  totalXp: number;
  clubName: string | null;
  clubIcon: Uint8Array | null;
  /** Background bytes: PNG/JPEG/WebP (still) or GIF (animated when it has more than one frame); null = template gradient. */
  background: Uint8Array | null;
  /**
   * Stable identity of `background` (e.g. the shop item id or its URL): decoded frames and the static layer are
   * cached under it inside each worker, so the same key must always mean the same bytes. Ignored when background is null.
   */
  backgroundKey: string | null;
  template: CardTemplate;
}

/** Output formats. 'png' for a still card, 'gif' for an animated background. */
export type CardFormat = 'png' | 'gif';

export interface RenderResult {
  bytes: Buffer;
  format: CardFormat;
  /** Time spent rendering inside the worker (decode + draw + encode), in milliseconds. */
  ms: number;
  width: number;
  height: number;
  /** Frames in the output (1 for PNG). */
  frames: number;
}
