/**
 * The `card:` section of xp_config.yml: where every element of an XP card sits, how big it is, its colours and fonts,
 * and whether it shows. Coordinates are pixels from the card's top-left corner. Every field has a default, so a config
 * may give only what it changes (`card: { name: { color: '#ffd700' } }`); `parseCardTemplate` fills in the rest.
 *
 * The config loader calls `cardTemplateSchema.safeParse(raw)` (or `parseCardTemplate`) once, at the boundary; a wrong
 * template is refused with the path of the bad field (`card.bar.height: …`) and the loader keeps the old one.
 */
import { z } from 'zod';

/** CSS colours Skia understands: #rgb, #rgba, #rrggbb, #rrggbbaa, rgb()/rgba()/hsl()/hsla(), or a named colour. */
const COLOR_RE = /^(#([0-9a-f]{3}|[0-9a-f]{4}|[0-9a-f]{6}|[0-9a-f]{8})|(rgba?|hsla?)\([0-9.,%\s/deg+-]+\)|[a-z]{3,20})$/i;
const color = z.string().trim().regex(COLOR_RE, 'must be a CSS colour such as "#ffcc00", "rgba(0,0,0,0.5)" or "white"');

const coord = z.number().int().min(-4096).max(4096);
const length = z.number().int().min(0).max(4096);
const fontSize = z.number().min(4).max(200);

/** The family list every text uses unless the template names others; defined in fonts.ts, repeated here as data. */
export const DEFAULT_FONT_FAMILY = 'Unicornia Sans';

const fontSchema = z
  .object({
    /** Font family (registered families: Unicornia Sans, or one from `fonts`); fallbacks for CJK/symbols/emoji are always appended. */
    family: z.string().trim().min(1).max(100).default(DEFAULT_FONT_FAMILY),
    size: fontSize,
    /** Shrink down to this size before cutting the text with an ellipsis. Defaults to `size` (no shrinking). */
    minSize: fontSize.optional(),
    weight: z.enum(['normal', 'bold']).default('normal'),
  })
  .strict();

/** A line of text: anchored at (x, y) = left/centre/right of the baseline, cut to `maxWidth` with an ellipsis. */
interface TextDefaults {
  x: number;
  y: number;
  maxWidth: number;
  size: number;
  minSize?: number;
  weight?: 'normal' | 'bold';
  color: string;
  align?: 'left' | 'center' | 'right';
}
const textShape = (d: TextDefaults) =>
  z.object({
      show: z.boolean().default(true),
      x: coord.default(d.x),
      y: coord.default(d.y),
      maxWidth: length.default(d.maxWidth),
      align: z.enum(['left', 'center', 'right']).default(d.align ?? 'left'),
      color: color.default(d.color),
      font: fontSchema.default({
        family: DEFAULT_FONT_FAMILY,
        size: d.size,
        weight: d.weight ?? 'normal',
        ...(d.minSize === undefined ? {} : { minSize: d.minSize }),
      }),
      /** A soft shadow behind the text, for contrast on busy backgrounds. */
      shadow: z.boolean().default(true),
    });
const textSchema = (d: TextDefaults) => textShape(d).strict().prefault({});

/** A label (fixed text such as "LEVEL") drawn once into the cached static layer. */
const labelSchema = (d: { text: string; x: number; y: number; maxWidth: number }) =>
  z
    .object({
      show: z.boolean().default(true),
      text: z.string().max(40).default(d.text),
      x: coord.default(d.x),
      y: coord.default(d.y),
      maxWidth: length.default(d.maxWidth),
      align: z.enum(['left', 'center', 'right']).default('left'),
      color: color.default('rgba(255,255,255,0.62)'),
      font: fontSchema.default({ family: DEFAULT_FONT_FAMILY, size: 12, weight: 'bold' }),
      shadow: z.boolean().default(false),
    })
    .strict()
    .prefault({});

const sizeLimit = { width: { min: 200, max: 1600 }, height: { min: 100, max: 1000 } } as const;

/**
 * Pixels of one card image at most — width × (height + the level-up banner) × scale² — bounding memory and time per
 * render and per GIF frame.
 */
export const MAX_CARD_PIXELS = 2_000_000;
export const DEFAULT_SCALE = 2;

/** The largest scale (two decimals, at least 1) that keeps a width × height card within MAX_CARD_PIXELS. */
function maxScaleFor(width: number, height: number): number {
  let s = Math.max(1, Math.floor(Math.sqrt(MAX_CARD_PIXELS / (width * height)) * 100) / 100);
  while (s > 1 && Math.round(width * s) * Math.round(height * s) > MAX_CARD_PIXELS) s = Math.round((s - 0.01) * 100) / 100;
  return Math.min(3, s);
}

export const cardTemplateSchema = z
  .object({
    /** Card size in pixels. Default 500 × 245 (Discord shows it unscaled on desktop). */
    width: z.number().int().min(sizeLimit.width.min).max(sizeLimit.width.max).default(500),
    height: z.number().int().min(sizeLimit.height.min).max(sizeLimit.height.max).default(245),
    /** Rounded corners of the whole card (transparent outside). 0 = square. */
    cornerRadius: length.default(18),
    background: z
      .object({
        /** Drawn when there is no background image (or it failed to load): a diagonal gradient from → to. */
        colorFrom: color.default('#2b1055'),
        colorTo: color.default('#0f6f8f'),
        /** A wash over the whole background, for contrast (e.g. "rgba(0,0,0,0.15)"); "transparent" for none. */
        dim: color.default('rgba(0,0,0,0.12)'),
      })
      .strict()
      .prefault({}),
    /** A translucent panel behind the content, so text stays readable on any background. */
    panel: z
      .object({
        show: z.boolean().default(true),
        x: coord.default(12),
        y: coord.default(12),
        width: length.default(476),
        height: length.default(221),
        radius: length.default(14),
        color: color.default('rgba(10,12,24,0.5)'),
        borderColor: color.default('rgba(255,255,255,0.14)'),
        borderWidth: z.number().min(0).max(20).default(1),
      })
      .strict()
      .prefault({}),
    avatar: z
      .object({
        show: z.boolean().default(true),
        x: coord.default(28),
        y: coord.default(28),
        /** Diameter of the circle. */
        size: length.min(8).default(112),
        ringWidth: z.number().min(0).max(40).default(4),
        ringColor: color.default('#c9a7ff'),
        /** Fill of the circle when the user has no avatar or it failed to load. */
        placeholderColor: color.default('#5b4b8a'),
      })
      .strict()
      .prefault({}),
    name: textSchema({ x: 158, y: 62, maxWidth: 314, size: 28, minSize: 20, weight: 'bold', color: '#ffffff' }),
    club: z
      .object({
        icon: z
          .object({
            show: z.boolean().default(true),
            x: coord.default(158),
            y: coord.default(76),
            size: length.min(4).default(22),
            radius: length.default(6),
          })
          .strict()
          .prefault({}),
        /** Shown even when the icon is missing or failed; when there is no icon it moves to the icon's x. */
        name: textSchema({ x: 186, y: 93, maxWidth: 286, size: 15, color: 'rgba(255,255,255,0.85)' }),
      })
      .strict()
      .prefault({}),
    level: z
      .object({
        label: labelSchema({ text: 'LEVEL', x: 158, y: 128, maxWidth: 140 }),
        value: textSchema({ x: 158, y: 160, maxWidth: 140, size: 30, minSize: 18, weight: 'bold', color: '#ffffff' }),
      })
      .strict()
      .prefault({}),
    rank: z
      .object({
        label: labelSchema({ text: 'RANK', x: 312, y: 128, maxWidth: 160 }),
        value: textSchema({ x: 312, y: 160, maxWidth: 160, size: 30, minSize: 18, weight: 'bold', color: '#ffffff' }),
      })
      .strict()
      .prefault({}),
    bar: z
      .object({
        show: z.boolean().default(true),
        x: coord.default(28),
        y: coord.default(197),
        width: length.min(4).default(444),
        height: length.min(2).default(20),
        radius: length.default(10),
        trackColor: color.default('rgba(255,255,255,0.16)'),
        /** The fill is a left-to-right gradient fillFrom → fillTo. Give both the same colour for a flat bar. */
        fillFrom: color.default('#8b5cf6'),
        fillTo: color.default('#22d3ee'),
      })
      .strict()
      .prefault({}),
    /** "1,234 / 5,678 XP" — progress inside the current level. `{current}` and `{needed}` are replaced. */
    xpText: textShape({ x: 472, y: 187, maxWidth: 240, size: 14, weight: 'bold', color: '#ffffff', align: 'right' })
      .extend({ format: z.string().max(60).default('{current} / {needed} XP') })
      .strict()
      .prefault({}),
    /** "Total 123,456 XP". `{total}` is replaced. */
    total: textShape({ x: 28, y: 187, maxWidth: 200, size: 13, color: 'rgba(255,255,255,0.72)' })
      .extend({ format: z.string().max(60).default('Total {total} XP') })
      .strict()
      .prefault({}),
    /** Extra font files to register, usable as `font.family`: paths relative to xp_config.yml's folder, which they must stay inside. */
    fonts: z
      .array(z.object({ family: z.string().trim().min(1).max(100), path: z.string().min(1).max(500) }).strict())
      .max(16)
      .default([]),
    /** Animated backgrounds: at most this many frames in the output (frames past it are merged, keeping the loop's total time). */
    maxFrames: z.number().int().min(1).max(200).default(60),
    /**
     * The level-up card (an optional image for level-up messages): this card with a banner band of `height` above it,
     * in the card's background colours with a stripe in the bar's, and `text` centred in it. `{level}` and `{oldlevel}`
     * are replaced.
     */
    levelUp: z
      .object({
        text: z.string().max(40).default('LEVEL UP · {level}'),
        height: length.min(24).max(200).default(56),
        color: color.default('#ffffff'),
        font: fontSchema.default({ family: DEFAULT_FONT_FAMILY, size: 24, weight: 'bold' }),
      })
      .strict()
      .prefault({}),
    /**
     * Pixel density: the card is drawn at width × scale by height × scale pixels with the same layout, so it stays
     * sharp on phones and high-density screens (DESIGN §4). 1–3; default 2, lowered for a big card so the image stays
     * within MAX_CARD_PIXELS. A scale given explicitly that would pass that limit is refused.
     */
    scale: z.number().min(1).max(3).optional(),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.scale === undefined) return;
    // The tallest image is the level-up card: the banner over the card.
    const height = t.height + t.levelUp.height;
    const pixels = Math.round(t.width * t.scale) * Math.round(height * t.scale);
    if (pixels > MAX_CARD_PIXELS) {
      ctx.addIssue({
        code: 'custom',
        path: ['scale'],
        message: `${t.width}×${height} (the level-up card) at scale ${t.scale} is ${pixels.toLocaleString('en-US')} pixels; at most ${MAX_CARD_PIXELS.toLocaleString('en-US')} (scale ≤ ${maxScaleFor(t.width, height)} for this size)`,
      });
    }
  })
  .transform((t) => ({ ...t, scale: t.scale ?? Math.min(DEFAULT_SCALE, maxScaleFor(t.width, t.height + t.levelUp.height)) }));

export type CardTemplate = z.output<typeof cardTemplateSchema>;
/** What a config file may contain: every field optional. */
export type CardTemplateInput = z.input<typeof cardTemplateSchema>;
export type TextStyle = CardTemplate['name'];
export type LabelStyle = CardTemplate['level']['label'];

export const defaultCardTemplate: CardTemplate = cardTemplateSchema.parse({});

/** A template that failed validation; `issues` are "path: message" lines, e.g. "bar.height: Too big: expected …". */
export class CardTemplateError extends Error {
  readonly code = 'invalid_card_template';
  constructor(
    readonly issues: string[],
    options?: { cause?: unknown },
  ) {
    super(`Invalid card template: ${issues.join('; ')}`, options);
    this.name = 'CardTemplateError';
  }
}

/**
 * Validate a raw `card:` section. `pathPrefix` (default "card") is put before each field path so the message points
 * into the YAML file. Throws CardTemplateError; never returns a half-valid template.
 */
export function parseCardTemplate(raw: unknown, pathPrefix = 'card'): CardTemplate {
  const result = cardTemplateSchema.safeParse(raw ?? {});
  if (result.success) return result.data;
  throw new CardTemplateError(
    result.error.issues.map((issue) => `${[pathPrefix, ...issue.path.map(String)].filter(Boolean).join('.')}: ${issue.message}`),
    { cause: result.error },
  );
}
