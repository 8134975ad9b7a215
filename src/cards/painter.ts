/**
 * Renders one card synchronously, with the cache that makes repeated renders cheap: the static layer (background +
 * panel + labels + bar track, already at the card's pixel size), keyed by `backgroundKey` and the template. For an
 * animated background the layer also keeps every frame's pixels mapped to its own palette, so a render only maps the
 * pixels its overlay touches. Each worker thread owns one CardPainter; tests and the CLI may use one directly.
 */
import { createCanvas, Image, ImageData, type Canvas, type SKRSContext2D } from '@napi-rs/canvas';
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { CardContext, CardFormat } from './context.js';
import type { CardTemplate } from './template.js';
import { drawBackground, drawBanner, drawBannerBand, drawDynamic, drawStaticOverlay, textBox, type CardImages } from './draw.js';
import { registerBundledFonts, registerExtraFonts } from './fonts.js';
import { decodeGifFrames, encodeGif, encodeIndexedGif, gifFrameCount, mergeFrames, type TimedFrame } from './gif.js';
import { encodePng } from './png.js';
import { applyPalette, quantize } from './gifenc.js';
import { readImageInfo } from '../net/image-info.js';
import { checkAccent, hexToRgb, isLargeText, LARGE_TEXT_RATIO, mix, relativeLuminance, rgbToHex, TEXT_RATIO, type AccentVerdict, type BackdropElement } from './contrast.js';

/** Painter limits. Defaults in `DEFAULT_PAINTER_OPTIONS`. */
export interface PainterOptions {
  /** Bytes of static layers kept per painter (per worker). Default 160 MiB. */
  cacheBytes: number;
  /** Target ceiling for an animated card; frames are merged, then the card scaled down, until it fits. Default 4 MB. */
  maxOutputBytes: number;
  /** Largest input image (width × height, any single frame). Default 4096 × 4096. */
  maxInputPixels: number;
  /** Decoding budget for an animated background: frames × width × height. Default 120 M. */
  maxDecodedPixels: number;
  /**
   * Output frames × card pixels, whatever the template says. Default 60 × 500 × 245 × 2 (≈ 14.7 M): 60 frames at
   * scale 1, 30 at the default scale 2 (more are merged, the loop keeps its length).
   */
  maxOutputPixels: number;
}

export const DEFAULT_PAINTER_OPTIONS: Readonly<PainterOptions> = {
  cacheBytes: 160 * 1024 * 1024,
  maxOutputBytes: 4_000_000,
  maxInputPixels: 4096 * 4096,
  maxDecodedPixels: 120_000_000,
  maxOutputPixels: 60 * 500 * 245 * 2,
};

export interface PaintResult {
  bytes: Buffer;
  format: CardFormat;
  width: number;
  height: number;
  frames: number;
  /** The verdict on the accent colour asked for; null when none was. */
  accent: AccentVerdict | null;
}

/**
 * Where the card sits in the image: `top` template pixels down (the level-up banner's height, or 0), and the image's
 * size in image pixels (the template's layout times its scale).
 */
interface Geometry {
  top: number;
  width: number;
  height: number;
}

export function geometry(t: CardTemplate, levelUp: boolean): Geometry {
  const top = levelUp ? t.levelUp.height : 0;
  return { top, width: Math.round(t.width * t.scale), height: Math.round((t.height + top) * t.scale) };
}

/** One frame of an animated static layer: its pixels, and the same pixels mapped to its own palette. */
interface IndexedFrame {
  rgba: Uint8ClampedArray;
  index: Uint8Array;
  palette: number[][];
  /** Nearest palette entry per RGB444 cell (its centre colour), filled as renders need them; -1 = not yet. */
  nearest: Int16Array;
}

type Layer =
  | { kind: 'still'; canvas: Canvas; backdrop: BackdropElement[] }
  | { kind: 'animated'; frames: TimedFrame<IndexedFrame>[]; transparent: Int32Array; backdrop: BackdropElement[] };

/** GIF palette split: colours for the (cached) static frame, the rest for this render's overlay (avatar, text, bar). */
const STATIC_COLOURS = 191;
const OVERLAY_COLOURS = 64;
/** Side of the square cells (template pixels) whose mean colour is one backdrop sample for the accent check. */
const BACKDROP_CELL = 8;

export class CardPainter {
  private readonly options: PainterOptions;
  private readonly layers: LRUCache<string, Layer>;
  private readonly templateKeys = new WeakMap<CardTemplate, string>();

  constructor(options: Partial<PainterOptions> = {}) {
    this.options = { ...DEFAULT_PAINTER_OPTIONS, ...options };
    registerBundledFonts();
    this.layers = new LRUCache<string, Layer>({
      maxSize: Math.max(1, this.options.cacheBytes),
      sizeCalculation: (l) =>
        l.kind === 'still' ? Math.max(1, l.canvas.width * l.canvas.height * 4) : Math.max(1, l.frames.length * l.frames[0]!.image.index.length * 5),
    });
  }

  /** Drop every cached layer. */
  clear(): void {
    this.layers.clear();
  }

  /** Render a card: PNG for a still (or no) background, GIF when the background is an animated GIF. */
  paint(ctx: CardContext): PaintResult {
    const base = ctx.template;
    registerExtraFonts(base.fonts);
    const geo = geometry(base, !!ctx.levelUp);
    const layer = this.staticLayer(ctx, geo);
    const verdict = ctx.accent ? checkAccent(ctx.accent, layer.backdrop) : null;
    const t = verdict?.ok ? withAccent(base, verdict.accent, layer.backdrop) : base;
    const images: CardImages = { avatar: decodeImage(ctx.avatar, this.options.maxInputPixels), clubIcon: decodeImage(ctx.clubIcon, this.options.maxInputPixels) };
    const values = {
      displayName: ctx.displayName,
      level: ctx.level,
      rank: ctx.rank,
      xpInLevel: ctx.xpInLevel,
      xpNeeded: ctx.xpNeeded,
      totalXp: ctx.totalXp,
      clubName: ctx.clubName,
    };
    const { width, height } = geo;
    const canvas = createCanvas(width, height);
    const g = canvas.getContext('2d');
    if (layer.kind === 'still') g.drawImage(layer.canvas, 0, 0);
    g.scale(t.scale, t.scale);
    if (ctx.levelUp) drawBanner(g, t, ctx.level, ctx.levelUp.oldLevel);
    g.translate(0, geo.top);
    drawDynamic(g, t, values, images);
    const pixels = g.getImageData(0, 0, width, height).data;
    if (layer.kind === 'still') {
      return { bytes: encodePng(pixels, width, height), format: 'png', width, height, frames: 1, accent: verdict };
    }
    return { ...this.encodeAnimated(layer, pixels, t, geo), accent: verdict };
  }

  /** Compose every frame with the overlay and encode; merge frames, then scale down, until under maxOutputBytes. */
  private encodeAnimated(layer: Extract<Layer, { kind: 'animated' }>, overlay: Uint8ClampedArray, t: CardTemplate, geo: Geometry): Omit<PaintResult, 'accent'> {
    const { width, height } = geo;
    let frames = mergeFrames(layer.frames, this.maxFrames(t, geo));
    const touched = overlayPixels(overlay, frames[0]!.image.rgba);
    const index = new Uint8Array(width * height);
    let size = 0;
    for (let attempt = 0; attempt < 4; attempt++) {
      const bytes = encodeIndexedGif(
        (function* () {
          for (const f of frames) yield { ...composeIndexed(f.image, touched, index), delayCs: f.delayCs };
        })(),
        width,
        height,
        layer.transparent.length > 0,
      );
      size = bytes.length;
      if (bytes.length <= this.options.maxOutputBytes || frames.length <= 8) {
        if (bytes.length <= this.options.maxOutputBytes) return { bytes, format: 'gif', width, height, frames: frames.length };
        break;
      }
      // Fewer pictures first (the animation keeps its timing), by about the ratio that is needed.
      frames = mergeFrames(frames, Math.max(8, Math.floor(frames.length * (this.options.maxOutputBytes / bytes.length) * 0.9)));
    }
    return this.encodeScaledDown(frames, overlay, width, height, size);
  }

  /**
   * Last resort for a card still too big (`size` bytes) with few frames: draw everything smaller until it fits — first
   * by the square root of the ratio that is needed, then 20 % smaller per try (6 tries at most).
   */
  private encodeScaledDown(frames: TimedFrame<IndexedFrame>[], overlay: Uint8ClampedArray, width: number, height: number, size: number): Omit<PaintResult, 'accent'> {
    const full = createCanvas(width, height);
    const fg = full.getContext('2d');
    const over = createCanvas(width, height);
    over.getContext('2d').putImageData(new ImageData(overlay, width, height), 0, 0);
    let scale = 1;
    let bytes: Buffer = Buffer.alloc(0);
    let w = width;
    let h = height;
    for (let attempt = 0; attempt < 6; attempt++) {
      scale *= attempt === 0 ? Math.max(0.5, Math.sqrt(this.options.maxOutputBytes / Math.max(1, size)) * 0.95) : 0.8;
      w = Math.max(1, Math.round(width * scale));
      h = Math.max(1, Math.round(height * scale));
      const canvas = createCanvas(w, h);
      const g = canvas.getContext('2d');
      const rgbaFrames = frames.map((f) => {
        fg.putImageData(new ImageData(f.image.rgba, width, height), 0, 0);
        g.clearRect(0, 0, w, h);
        g.drawImage(full, 0, 0, w, h);
        g.drawImage(over, 0, 0, w, h);
        return { rgba: g.getImageData(0, 0, w, h).data, delayCs: f.delayCs };
      });
      bytes = encodeGif(rgbaFrames, w, h, transparentPixels(rgbaFrames[0]!.rgba));
      if (bytes.length <= this.options.maxOutputBytes) break;
    }
    return { bytes, format: 'gif', width: w, height: h, frames: frames.length };
  }

  private maxFrames(t: CardTemplate, { width, height }: Geometry): number {
    return Math.max(1, Math.min(t.maxFrames, Math.floor(this.options.maxOutputPixels / (width * height))));
  }

  private templateKey(t: CardTemplate): string {
    let key = this.templateKeys.get(t);
    if (!key) {
      key = createHash('sha1').update(JSON.stringify(t)).digest('base64url');
      this.templateKeys.set(t, key);
    }
    return key;
  }

  private staticLayer(ctx: CardContext, geo: Geometry): Layer {
    const t = ctx.template;
    const bgKey = ctx.background && ctx.backgroundKey ? ctx.backgroundKey : ctx.background ? `anon:${createHash('sha1').update(ctx.background).digest('base64url')}` : '';
    const key = `${bgKey}\0${this.templateKey(t)}\0${geo.top}`;
    const cached = this.layers.get(key);
    if (cached) return cached;
    const layer =
      (ctx.background && this.animatedLayer(ctx.background, t, geo)) || this.stillLayer(ctx.background ? decodeImage(ctx.background, this.options.maxInputPixels) : null, t, geo);
    this.layers.set(key, layer);
    return layer;
  }

  private stillLayer(image: Image | null, t: CardTemplate, geo: Geometry): Layer {
    const canvas = createCanvas(geo.width, geo.height);
    drawLayer(canvas.getContext('2d'), t, image, geo.top);
    return { kind: 'still', canvas, backdrop: measureBackdrop(t, geo, [canvas.getContext('2d').getImageData(0, 0, geo.width, geo.height).data]) };
  }

  /** The layer of an animated GIF background; null when the bytes are not one (or are broken: the caller falls back). */
  private animatedLayer(bytes: Uint8Array, t: CardTemplate, geo: Geometry): Layer | null {
    if (gifFrameCount(bytes) <= 1) return null;
    const { width, height } = geo;
    const canvas = createCanvas(width, height);
    const g = canvas.getContext('2d');
    let transparent: Int32Array | undefined;
    try {
      const decoded = decodeGifFrames(bytes, { maxPixels: this.options.maxInputPixels, maxDecodedPixels: this.options.maxDecodedPixels, maxFrames: this.maxFrames(t, geo) }, (rgba, w, h) => {
        // Each frame becomes a finished static frame as it comes, so only card-sized pictures are kept.
        const src = createCanvas(w, h);
        src.getContext('2d').putImageData(new ImageData(rgba, w, h), 0, 0);
        g.resetTransform();
        g.clearRect(0, 0, width, height);
        drawLayer(g, t, src, geo.top);
        const pixels = g.getImageData(0, 0, width, height).data;
        transparent ??= transparentPixels(pixels);
        const palette = quantize(sample(pixels), STATIC_COLOURS, { format: 'rgb444' });
        const index = applyPalette(pixels, palette, 'rgb444');
        for (const i of transparent) index[i] = TRANSPARENT;
        return { rgba: pixels, index, palette, nearest: new Int16Array(4096).fill(-1) };
      });
      return { kind: 'animated', frames: decoded.frames, transparent: transparent ?? new Int32Array(0), backdrop: measureBackdrop(t, geo, decoded.frames.map((f) => f.image.rgba)) };
    } catch {
      return null; // a broken animation degrades to its first frame, or to the template gradient
    }
  }
}

/** Palette index of the card's transparent corners in an animated card. */
const TRANSPARENT = 255;

/** Background, wash, panel, labels and bar track, at the template's scale, `top` template pixels down (under a banner). */
function drawLayer(g: SKRSContext2D, t: CardTemplate, image: Parameters<typeof drawBackground>[2], top: number): void {
  g.save();
  g.scale(t.scale, t.scale);
  if (top > 0) drawBannerBand(g, t);
  g.translate(0, top);
  drawBackground(g, t, image);
  drawStaticOverlay(g, t);
  g.restore();
}

/**
 * The backdrop of the accent-coloured elements (DESIGN §4): for the level and rank values (their text box, from the
 * baseline up by one font size) and the bar, the relative luminance of every BACKDROP_CELL-sized cell of the static
 * layer they sit on — in every frame of an animation.
 */
function measureBackdrop(t: CardTemplate, { width, height, top }: Geometry, frames: readonly Uint8ClampedArray[]): BackdropElement[] {
  const boxes: Array<{ name: string; minRatio: number; x: number; y: number; w: number; h: number }> = [];
  for (const [name, v] of [['level', t.level.value], ['rank', t.rank.value]] as const) {
    if (!v.show) continue;
    const box = textBox(v);
    const large = isLargeText(v.font.size, v.font.weight === 'bold');
    boxes.push({ name, minRatio: large ? LARGE_TEXT_RATIO : TEXT_RATIO, x: box.x, y: v.y - v.font.size, w: box.width, h: v.font.size });
  }
  if (t.bar.show) boxes.push({ name: 'bar', minRatio: LARGE_TEXT_RATIO, x: t.bar.x, y: t.bar.y, w: t.bar.width, h: t.bar.height });
  return boxes.map((b) => {
    const luminances: number[] = [];
    const cell = BACKDROP_CELL * t.scale;
    const x0 = Math.max(0, Math.round(b.x * t.scale));
    const y0 = Math.max(0, Math.round((b.y + top) * t.scale));
    const x1 = Math.min(width, Math.round((b.x + b.w) * t.scale));
    const y1 = Math.min(height, Math.round((b.y + top + b.h) * t.scale));
    for (const rgba of frames) {
      for (let cy = y0; cy < y1; cy += cell) {
        for (let cx = x0; cx < x1; cx += cell) {
          let r = 0;
          let gr = 0;
          let bl = 0;
          let n = 0;
          for (let y = cy; y < Math.min(y1, cy + cell); y++) {
            for (let x = cx; x < Math.min(x1, cx + cell); x++) {
              const i = (y * width + x) * 4;
              if (rgba[i + 3]! < 128) continue; // outside the rounded card
              r += rgba[i]!;
              gr += rgba[i + 1]!;
              bl += rgba[i + 2]!;
              n++;
            }
          }
          if (n > 0) luminances.push(relativeLuminance([r / n, gr / n, bl / n]));
        }
      }
    }
    return { name: b.name, minRatio: b.minRatio, luminances };
  });
}

/**
 * The template with the accent applied: level and rank values, the avatar ring and the bar (a gradient from the
 * accent to a shade of it further from the backdrop, so the bar's light end never loses contrast).
 */
function withAccent(t: CardTemplate, accent: string, backdrop: readonly BackdropElement[]): CardTemplate {
  const rgb = hexToRgb(accent);
  const bar = backdrop.find((e) => e.name === 'bar')?.luminances ?? [];
  const backdropLum = bar.length ? bar.reduce((a, b) => a + b, 0) / bar.length : 0;
  const end = rgbToHex(mix(rgb, relativeLuminance(rgb) >= backdropLum ? [255, 255, 255] : [0, 0, 0], 0.4));
  return {
    ...t,
    avatar: { ...t.avatar, ringColor: accent },
    level: { ...t.level, value: { ...t.level.value, color: accent } },
    rank: { ...t.rank, value: { ...t.rank.value, color: accent } },
    bar: { ...t.bar, fillFrom: accent, fillTo: end },
  };
}

/**
 * The pixels this render's overlay paints, split once per render: opaque ones look the same on every frame, so they
 * are mapped to the overlay's palette once; semi-transparent ones (antialiased edges, shadows) mix with each frame.
 */
interface OverlayPixels {
  /** Pixel indices of opaque overlay pixels, and their index into the overlay palette. */
  opaque: Int32Array;
  opaqueIndex: Uint8Array;
  /** Pixel indices of semi-transparent overlay pixels, with their premultiplied colour and remaining background share. */
  partial: Int32Array;
  premultiplied: Float32Array;
  keep: Float32Array;
  palette: number[][];
  /** Nearest overlay colour per RGB444 cell, filled during this render; -1 = not yet. */
  nearest: Int16Array;
}

/** Find the overlay's pixels and its palette (its colours as they look on the first frame). */
function overlayPixels(overlay: Uint8ClampedArray, first: Uint8ClampedArray): OverlayPixels {
  let nOpaque = 0;
  let nPartial = 0;
  for (let i = 3; i < overlay.length; i += 4) {
    if (overlay[i] === 255) nOpaque++;
    else if (overlay[i]! > 0) nPartial++;
  }
  const opaque = new Int32Array(nOpaque);
  const partial = new Int32Array(nPartial);
  const premultiplied = new Float32Array(nPartial * 3);
  const keep = new Float32Array(nPartial);
  // The palette is found from at most ~32 000 of the overlay's pixels (every stride-th): as good, in a fraction of the time.
  const stride = Math.max(1, Math.ceil((nOpaque + nPartial) / 32_768));
  const sample = new Uint8Array(Math.ceil((nOpaque + nPartial) / stride) * 4);
  for (let i = 0, o = 0, q = 0, n = 0, k = 0; i < overlay.length; i += 4) {
    const a = overlay[i + 3]!;
    if (a === 0) continue;
    const sampled = n++ % stride === 0;
    if (a === 255) {
      opaque[o++] = i >> 2;
      if (sampled) {
        sample[k] = overlay[i]!;
        sample[k + 1] = overlay[i + 1]!;
        sample[k + 2] = overlay[i + 2]!;
      }
    } else {
      const f = a / 255;
      partial[q] = i >> 2;
      keep[q] = 1 - f;
      for (let c = 0; c < 3; c++) {
        premultiplied[q * 3 + c] = overlay[i + c]! * f;
        if (sampled) sample[k + c] = overlay[i + c]! * f + first[i + c]! * (1 - f);
      }
      q++;
    }
    if (sampled) {
      sample[k + 3] = 255;
      k += 4;
    }
  }
  const palette = sample.length ? quantize(sample, OVERLAY_COLOURS, { format: 'rgb444' }) : [];
  const opaqueIndex = new Uint8Array(nOpaque);
  const cache = new Int16Array(4096).fill(-1);
  for (let k = 0; k < nOpaque; k++) {
    const p = opaque[k]! * 4;
    const r = overlay[p]!;
    const g = overlay[p + 1]!;
    const b = overlay[p + 2]!;
    const key = ((r >> 4) << 8) | ((g >> 4) << 4) | (b >> 4);
    let idx = cache[key]!;
    if (idx < 0) cache[key] = idx = nearest(palette, r, g, b);
    opaqueIndex[k] = idx;
  }
  return { opaque, opaqueIndex, partial, premultiplied, keep, palette, nearest: new Int16Array(4096).fill(-1) };
}

/**
 * One output frame, written into `index`: the cached indices of the static frame, with the overlay's pixels re-mapped —
 * opaque ones to their overlay colour, semi-transparent ones to the nearest colour of the frame's palette followed by
 * the overlay's.
 */
function composeIndexed(frame: IndexedFrame, o: OverlayPixels, index: Uint8Array): { index: Uint8Array; palette: number[][] } {
  const palette = o.palette.length ? [...frame.palette, ...o.palette] : frame.palette;
  const offset = frame.palette.length;
  index.set(frame.index); // into a buffer reused across frames: a fresh 0.5 MB array per frame costs more than the rest
  for (let k = 0; k < o.opaque.length; k++) {
    const p = o.opaque[k]!;
    if (index[p] !== TRANSPARENT) index[p] = offset + o.opaqueIndex[k]!; // the card's rounded corners stay clear
  }
  const rgba = frame.rgba;
  for (let k = 0; k < o.partial.length; k++) {
    const p = o.partial[k]!;
    if (index[p] === TRANSPARENT) continue;
    const keep = o.keep[k]!;
    const r = o.premultiplied[k * 3]! + rgba[p * 4]! * keep;
    const g = o.premultiplied[k * 3 + 1]! + rgba[p * 4 + 1]! * keep;
    const b = o.premultiplied[k * 3 + 2]! + rgba[p * 4 + 2]! * keep;
    // The better of the frame's nearest colour and the overlay's nearest colour, each looked up by RGB444 cell: the
    // frame's table lasts as long as the layer, the overlay's as long as this render.
    const key = ((r >> 4) << 8) | ((g >> 4) << 4) | (b >> 4);
    const s = cellNearest(frame.nearest, frame.palette, key);
    const v = o.palette.length ? cellNearest(o.nearest, o.palette, key) : -1;
    index[p] = v >= 0 && distance(o.palette[v]!, r, g, b) < distance(frame.palette[s]!, r, g, b) ? offset + v : s;
  }
  return { index, palette };
}

/** The nearest palette entry to the centre of RGB444 cell `key`, cached in `table`. */
function cellNearest(table: Int16Array, palette: number[][], key: number): number {
  let idx = table[key]!;
  if (idx < 0) table[key] = idx = nearest(palette, ((key >> 8) << 4) | 8, (((key >> 4) & 15) << 4) | 8, ((key & 15) << 4) | 8);
  return idx;
}

function distance(c: number[], r: number, g: number, b: number): number {
  return (c[0]! - r) ** 2 + (c[1]! - g) ** 2 + (c[2]! - b) ** 2;
}

function nearest(palette: number[][], r: number, g: number, b: number): number {
  let best = 0;
  let bestDist = Infinity;
  for (let i = 0; i < palette.length; i++) {
    const c = palette[i]!;
    const d = distance(c, r, g, b);
    if (d < bestDist) {
      bestDist = d;
      best = i;
    }
  }
  return best;
}

/**
 * Decode image bytes (first frame of a GIF); null when missing, broken or too large. The size is read from the
 * headers first: Skia allocates whatever the header declares, so a check after decoding would come too late.
 */
export function decodeImage(bytes: Uint8Array | null, maxPixels: number): Image | null {
  if (!bytes || bytes.length === 0) return null;
  const info = readImageInfo(bytes);
  if (!info || info.width <= 0 || info.height <= 0 || info.width * info.height > maxPixels) return null;
  try {
    const image = new Image();
    image.src = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (!image.complete || image.width <= 0 || image.height <= 0 || image.width * image.height > maxPixels) return null;
    return image;
  } catch {
    return null;
  }
}

/** Indices of the pixels that are (mostly) transparent: the card's rounded corners. */
function transparentPixels(rgba: Uint8Array | Uint8ClampedArray): Int32Array {
  const out: number[] = [];
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i]! < 128) out.push(i >> 2);
  return Int32Array.from(out);
}

/** Every 4th pixel: the palette of a frame is found from a quarter of its pixels, about as well and 4× sooner. */
function sample(rgba: Uint8ClampedArray): Uint8Array {
  const out = new Uint8Array(Math.ceil(rgba.length / 16) * 4);
  for (let i = 0, o = 0; i < rgba.length; i += 16, o += 4) {
    out[o] = rgba[i]!;
    out[o + 1] = rgba[i + 1]!;
    out[o + 2] = rgba[i + 2]!;
    out[o + 3] = rgba[i + 3]!;
  }
  return out;
}
