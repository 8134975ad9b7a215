/**
 * Everything a card shows, as plain data: the renderer knows nothing of Discord, the database or the network.
 * The caller gathers it (with XP from the engine's buffer, not only the database) and fetches images beforehand;
 * an image that could not be fetched is `null` and the card draws a placeholder.
 */
import type { CardTemplate } from './template.js';
import type { AccentVerdict } from './contrast.js';

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
  /**
   * The accent colour (#rgb or #rrggbb) for the level and rank values, the avatar ring and the bar: the member's
   * choice, else the server's default; absent or null = the template's colours. Used only when it has enough contrast
   * on this card (DESIGN §4); `RenderResult.accent` says whether it was and why not.
   */
  accent?: string | null;
  /**
   * Draw the level-up card: this card with the template's level-up banner above it ("LEVEL UP · {level}"); `oldLevel`
   * fills `{oldlevel}`. Absent or null = the plain XP card.
   */
  levelUp?: { oldLevel: number } | null;
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
  /** The verdict on `CardContext.accent` (used or not, the lowest contrast, a suggestion); null when none was given. */
  accent: AccentVerdict | null;
}
