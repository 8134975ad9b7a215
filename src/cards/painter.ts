/**
 * Renders one card synchronously, with the caches that make repeated renders cheap: decoded backgrounds (scaled to the
 * card) and the composited static layer, both keyed by `backgroundKey` and the template. Each worker thread owns one
 * CardPainter; tests and the CLI may use one directly.
 */
import { createCanvas, Image, ImageData, type Canvas } from '@napi-rs/canvas';
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { CardContext, CardFormat } from './context.js';
import type { CardTemplate } from './template.js';
import { drawBackground, drawCover, drawDynamic, drawStaticOverlay, type CardImages } from './draw.js';
import { registerBundledFonts, registerExtraFonts } from './fonts.js';
import { decodeGifFrames, encodeGif, gifFrameCount, mergeFrames, type TimedFrame } from './gif.js';
import { encodePng } from './png.js';
import { quantize } from './gifenc.js';
import { readImageInfo } from '../net/image-info.js';

/** Painter limits. Defaults in `DEFAULT_PAINTER_OPTIONS`. */
export interface PainterOptions {
  /** Bytes of decoded frames and static layers kept per painter (per worker). Default 160 MiB. */
  cacheBytes: number;
  /** Target ceiling for an animated card; frames are merged, then the card scaled down, until it fits. Default 4 MB. */
  maxOutputBytes: number;
  /** Largest input image (width × height, any single frame). Default 4096 × 4096. */
  maxInputPixels: number;
  /** Decoding budget for an animated background: frames × width × height. Default 120 M. */
  maxDecodedPixels: number;
  /** Output frames × card pixels, whatever the template says. Default 60 × 500 × 245 × 2. */
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
}

/** A decoded background, already cover-fitted to the card: one still picture, or the frames of an animation. */
type Background = { kind: 'still'; image: Canvas } | { kind: 'animated'; frames: TimedFrame<Canvas>[] };
/**
 * The static layer: background + panel + labels, one canvas per output frame. For an animated layer, each frame's
 * palette (STATIC_COLOURS colours) is quantized once and kept, so a render only quantizes its own overlay.
 */
type Layer = { frames: TimedFrame<Canvas>[]; animated: boolean; mask: Uint8Array | undefined; palettes: Map<Canvas, number[][]> };

/** GIF palette split: colours for the (cached) static frame, the rest for this render's overlay (avatar, text, bar). */
const STATIC_COLOURS = 191;
const OVERLAY_COLOURS = 64;

const layerBytes = (frames: number, t: CardTemplate) => Math.max(1, frames * t.width * t.height * 4);

export class CardPainter {
  private readonly options: PainterOptions;
  private readonly backgrounds: LRUCache<string, Background>;
  private readonly layers: LRUCache<string, Layer>;
  private readonly templateKeys = new WeakMap<CardTemplate, string>();

  constructor(options: Partial<PainterOptions> = {}) {
    this.options = { ...DEFAULT_PAINTER_OPTIONS, ...options };
    registerBundledFonts();
    const half = Math.max(1, Math.floor(this.options.cacheBytes / 2));
    this.backgrounds = new LRUCache<string, Background>({
      maxSize: half,
      sizeCalculation: (b) =>
        b.kind === 'still' ? Math.max(1, b.image.width * b.image.height * 4) : Math.max(1, b.frames.length * b.frames[0]!.image.width * b.frames[0]!.image.height * 4),
    });
    this.layers = new LRUCache<string, Layer>({ maxSize: half, sizeCalculation: (l) => Math.max(1, l.frames.length * l.frames[0]!.image.width * l.frames[0]!.image.height * 4) });
  }

  /** Drop every cached background and layer. */
  clear(): void {
    this.backgrounds.clear();
    this.layers.clear();
  }

  /** Render a card: PNG for a still (or no) background, GIF when the background is an animated GIF. */
  paint(ctx: CardContext): PaintResult {
    const t = ctx.template;
    registerExtraFonts(t.fonts);
    const layer = this.staticLayer(ctx);
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
    const alpha = t.cornerRadius > 0;

    if (!layer.animated) {
      const canvas = createCanvas(t.width, t.height);
      const g = canvas.getContext('2d');
      g.drawImage(layer.frames[0]!.image, 0, 0);
      drawDynamic(g, t, values, images);
      const pixels = g.getImageData(0, 0, t.width, t.height).data;
      return { bytes: encodePng(pixels, t.width, t.height, { alpha }), format: 'png', width: t.width, height: t.height, frames: 1 };
    }

    const overlay = createCanvas(t.width, t.height);
    drawDynamic(overlay.getContext('2d'), t, values, images);
    return this.encodeAnimated(layer, overlay, t);
  }

  /** Compose every frame with the overlay and encode; merge frames, then scale down, until under maxOutputBytes. */
  private encodeAnimated(layer: Layer, overlay: Canvas, t: CardTemplate): PaintResult {
    const maxFrames = Math.max(1, Math.min(t.maxFrames, Math.floor(this.options.maxOutputPixels / (t.width * t.height))));
    let frames = mergeFrames(layer.frames, maxFrames);
    const overlayPalette = this.overlayPalette(layer, overlay, t);
    let scale = 1;
    for (let attempt = 0; ; attempt++) {
      const w = Math.max(1, Math.round(t.width * scale));
      const h = Math.max(1, Math.round(t.height * scale));
      const canvas = createCanvas(w, h);
      const g = canvas.getContext('2d');
      const rgbaFrames = frames.map((f) => {
        g.clearRect(0, 0, w, h);
        g.drawImage(f.image, 0, 0, w, h);
        g.drawImage(overlay, 0, 0, w, h);
        const palette = [...this.staticPalette(layer, f.image, t), ...overlayPalette];
        return { rgba: g.getImageData(0, 0, w, h).data, delayCs: f.delayCs, palette };
      });
      const mask = scale === 1 ? layer.mask : alphaMask(rgbaFrames[0]!.rgba);
      const bytes = encodeGif(rgbaFrames, w, h, mask);
      if (bytes.length <= this.options.maxOutputBytes || attempt >= 6) {
        return { bytes, format: 'gif', width: w, height: h, frames: frames.length };
      }
      const ratio = this.options.maxOutputBytes / bytes.length;
      if (frames.length > 8) {
        // Fewer pictures first (the animation keeps its timing), by about the ratio that is needed.
        frames = mergeFrames(frames, Math.max(8, Math.floor(frames.length * ratio * 0.9)));
      } else {
        scale *= Math.max(0.5, Math.sqrt(ratio) * 0.95);
      }
    }
  }

  /** The cached palette of one static frame. */
  private staticPalette(layer: Layer, frame: Canvas, t: CardTemplate): number[][] {
    let palette = layer.palettes.get(frame);
    if (!palette) {
      palette = quantize(frame.getContext('2d').getImageData(0, 0, t.width, t.height).data, STATIC_COLOURS, { format: 'rgb444' });
      layer.palettes.set(frame, palette);
    }
    return palette;
  }

  /** Colours of this render's overlay as it looks on the first frame (only pixels the overlay touches). */
  private overlayPalette(layer: Layer, overlay: Canvas, t: CardTemplate): number[][] {
    const over = overlay.getContext('2d').getImageData(0, 0, t.width, t.height).data;
    const canvas = createCanvas(t.width, t.height);
    const g = canvas.getContext('2d');
    g.drawImage(layer.frames[0]!.image, 0, 0);
    g.drawImage(overlay, 0, 0);
    const composed = g.getImageData(0, 0, t.width, t.height).data;
    let n = 0;
    for (let i = 3; i < over.length; i += 4) if (over[i]! > 0) n++;
    if (n === 0) return [];
    const picked = new Uint8Array(n * 4);
    for (let i = 0, o = 0; i < over.length; i += 4) {
      if (over[i + 3]! > 0) {
        picked[o] = composed[i]!;
        picked[o + 1] = composed[i + 1]!;
        picked[o + 2] = composed[i + 2]!;
        picked[o + 3] = 255;
        o += 4;
      }
    }
    return quantize(picked, OVERLAY_COLOURS, { format: 'rgb444' });
  }

  private templateKey(t: CardTemplate): string {
    let key = this.templateKeys.get(t);
    if (!key) {
      key = createHash('sha1').update(JSON.stringify(t)).digest('base64url');
      this.templateKeys.set(t, key);
    }
    return key;
  }

  private staticLayer(ctx: CardContext): Layer {
    const t = ctx.template;
    const bgKey = ctx.background && ctx.backgroundKey ? ctx.backgroundKey : ctx.background ? `anon:${createHash('sha1').update(ctx.background).digest('base64url')}` : '';
    const key = `${bgKey}\0${this.templateKey(t)}`;
    const cached = this.layers.get(key);
    if (cached) return cached;

    const bg = ctx.background ? this.background(bgKey, ctx.background, t) : null;
    const sources: TimedFrame<Canvas | Image | null>[] = bg === null ? [{ image: null, delayCs: 0 }] : bg.kind === 'still' ? [{ image: bg.image, delayCs: 0 }] : bg.frames;
    const frames = sources.map((s) => {
      const canvas = createCanvas(t.width, t.height);
      const g = canvas.getContext('2d');
      drawBackground(g, t, s.image);
      drawStaticOverlay(g, t);
      return { image: canvas, delayCs: s.delayCs };
    });
    const animated = bg?.kind === 'animated';
    const mask = animated && t.cornerRadius > 0 ? alphaMask(frames[0]!.image.getContext('2d').getImageData(0, 0, t.width, t.height).data) : undefined;
    const layer: Layer = { frames, animated, mask, palettes: new Map() };
    this.layers.set(key, layer, { size: layerBytes(frames.length, t) });
    return layer;
  }

  private background(key: string, bytes: Uint8Array, t: CardTemplate): Background | null {
    const cacheKey = `${key}\0${t.width}x${t.height}`;
    const cached = this.backgrounds.get(cacheKey);
    if (cached) return cached;
    let bg: Background | null = null;
    try {
      if (gifFrameCount(bytes) > 1) {
        const maxFrames = Math.max(1, Math.min(t.maxFrames, Math.floor(this.options.maxOutputPixels / (t.width * t.height))));
        const decoded = decodeGifFrames(bytes, { maxPixels: this.options.maxInputPixels, maxDecodedPixels: this.options.maxDecodedPixels, maxFrames }, (rgba, w, h) => {
          // Scale each frame to the card as it comes, so only card-sized pictures are kept.
          const src = createCanvas(w, h);
          src.getContext('2d').putImageData(new ImageData(rgba, w, h), 0, 0);
          const dst = createCanvas(t.width, t.height);
          const scale = Math.max(t.width / w, t.height / h);
          const sw = t.width / scale;
          const sh = t.height / scale;
          dst.getContext('2d').drawImage(src, (w - sw) / 2, (h - sh) / 2, sw, sh, 0, 0, t.width, t.height);
          return dst;
        });
        bg = { kind: 'animated', frames: decoded.frames };
      } else {
        const image = decodeImage(bytes, this.options.maxInputPixels);
        if (image) {
          // Keep it at the card's size only: a 4000-pixel photo is not held in memory at full size.
          const fitted = createCanvas(t.width, t.height);
          drawCover(fitted.getContext('2d'), image, 0, 0, t.width, t.height);
          bg = { kind: 'still', image: fitted };
        }
      }
    } catch {
      bg = null; // a broken background degrades to the template gradient
    }
    if (bg) this.backgrounds.set(cacheKey, bg);
    return bg;
  }
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

/** One byte per pixel: 1 where the picture is (mostly) transparent. */
function alphaMask(rgba: Uint8Array | Uint8ClampedArray): Uint8Array | undefined {
  const mask = new Uint8Array(rgba.length / 4);
  let any = false;
  for (let i = 0; i < mask.length; i++) {
    if (rgba[i * 4 + 3]! < 128) {
      mask[i] = 1;
      any = true;
    }
  }
  return any ? mask : undefined;
}
