/**
 * Accent colours and their contrast (DESIGN §4, "Accent colour"). Pure functions: no canvas, no I/O, so a command can
 * judge a colour a member typed before anything is saved, and the painter applies the same rule when it draws.
 *
 * Contrast is WCAG 2's ratio (L1 + 0.05) / (L2 + 0.05) of relative luminances, 1 (same) to 21 (black on white).
 */
import { z } from 'zod';

export type Rgb = readonly [number, number, number];

/** `#rgb` or `#rrggbb`, any case; stored and passed on as lower-case `#rrggbb`. */
export const accentColorSchema = z
  .string()
  .trim()
  .regex(/^#([0-9a-f]{3}|[0-9a-f]{6})$/i, 'must be a colour like #ff66cc (or #f6c)')
  .transform((hex) => normalizeHex(hex));

/** "#F6C" → "#ff66cc". Throws on anything but #rgb / #rrggbb (validate with accentColorSchema first). */
export function normalizeHex(hex: string): string {
  const h = hex.trim().toLowerCase();
  if (/^#[0-9a-f]{6}$/.test(h)) return h;
  if (/^#[0-9a-f]{3}$/.test(h)) return `#${h[1]}${h[1]}${h[2]}${h[2]}${h[3]}${h[3]}`;
  throw new RangeError(`not a #rgb or #rrggbb colour: ${hex}`);
}

export function hexToRgb(hex: string): Rgb {
  const h = normalizeHex(hex);
  return [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];
}

export function rgbToHex([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((v) => Math.round(Math.min(255, Math.max(0, v))).toString(16).padStart(2, '0')).join('')}`;
}

const linear = (c: number) => {
  const s = c / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
};

/** WCAG 2 relative luminance of an sRGB colour, 0 (black) to 1 (white). */
export function relativeLuminance([r, g, b]: Rgb): number {
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** WCAG 2 contrast ratio of two relative luminances, 1–21 (order does not matter). */
export function contrastRatio(l1: number, l2: number): number {
  return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
}

/** `a` moved toward `b` by `t` (0 = a, 1 = b), per sRGB channel. */
export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/** WCAG 2.x AA: large text (≥ 18.66 px bold or ≥ 24 px) and graphics (the bar) need 3:1; other text 4.5:1. */
export const LARGE_TEXT_RATIO = 3;
export const TEXT_RATIO = 4.5;

/** Is text of this size large in WCAG's sense (14 pt bold or 18 pt, at 96 px per inch)? */
export function isLargeText(sizePx: number, bold: boolean): boolean {
  return sizePx >= (bold ? 18.66 : 24);
}

/**
 * What an accent-coloured element is drawn on: the relative luminance of each small cell of the card below it (see
 * the painter), and the ratio it needs.
 */
export interface BackdropElement {
  /** 'level', 'rank' or 'bar'. */
  name: string;
  minRatio: number;
  luminances: readonly number[];
}

export interface AccentVerdict {
  /** The accent asked for, as #rrggbb. */
  accent: string;
  /** Every element reaches its ratio: the accent is used. */
  ok: boolean;
  /** The lowest ratio over all cells of all elements (21 when there is nothing to compare). */
  ratio: number;
  /** The ratio that lowest cell needed. */
  minRatio: number;
  /** The element where contrast is lowest. */
  element: string | null;
  /** When not ok: the closest lighter or darker shade of the accent that passes (null if none does). */
  suggestion: string | null;
}

/** Lowest ratio of `luminance` against the backdrop, and its shortfall relative to what each element needs. */
function worst(luminance: number, backdrop: readonly BackdropElement[]): { ratio: number; minRatio: number; element: string | null; ok: boolean } {
  let best = { ratio: 21, minRatio: LARGE_TEXT_RATIO, element: null as string | null, ok: true };
  let worstMargin = Infinity;
  for (const e of backdrop) {
    for (const l of e.luminances) {
      const ratio = contrastRatio(luminance, l);
      const margin = ratio / e.minRatio;
      if (margin < worstMargin) {
        worstMargin = margin;
        best = { ratio, minRatio: e.minRatio, element: e.name, ok: margin >= 1 };
      }
    }
  }
  return best;
}

/**
 * Judge an accent against a card's backdrop: ok when every element's every cell reaches the element's ratio.
 * When it fails, suggest the smallest step toward white or black (5 % steps) that passes.
 */
export function checkAccent(accent: string, backdrop: readonly BackdropElement[]): AccentVerdict {
  const hex = normalizeHex(accent);
  const rgb = hexToRgb(hex);
  const result = worst(relativeLuminance(rgb), backdrop);
  const verdict: AccentVerdict = { accent: hex, ok: result.ok, ratio: round2(result.ratio), minRatio: result.minRatio, element: result.element, suggestion: null };
  if (result.ok) return verdict;
  for (let step = 1; step <= 20; step++) {
    for (const target of [[255, 255, 255], [0, 0, 0]] as const) {
      const candidate = rgbToHex(mix(rgb, target, step / 20));
      if (worst(relativeLuminance(hexToRgb(candidate)), backdrop).ok) return { ...verdict, suggestion: candidate };
    }
  }
  return verdict;
}

const round2 = (n: number) => Math.floor(n * 100) / 100;
