import { createCanvas, Image } from '@napi-rs/canvas';
import { GifReader } from 'omggif';
import * as gifenc from '../../src/cards/gifenc.js';
import type { CardContext } from '../../src/cards/context.js';
import { cardTemplateSchema, defaultCardTemplate, type CardTemplate, type CardTemplateInput } from '../../src/cards/template.js';

export interface Pixels {
  /** Size in image pixels. */
  width: number;
  height: number;
  /** Image pixels per template pixel (the card's `scale`). */
  scale: number;
  data: Uint8ClampedArray;
  /** The pixel at template coordinates (x, y), i.e. at image pixel (x × scale, y × scale). */
  at(x: number, y: number): [number, number, number, number];
  /** The pixel at image coordinates. */
  atPx(x: number, y: number): [number, number, number, number];
}

function wrap(width: number, height: number, data: Uint8ClampedArray, scale = 1): Pixels {
  const atPx = (x: number, y: number): [number, number, number, number] => {
    const i = (Math.round(y) * width + Math.round(x)) * 4;
    return [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!];
  };
  return { width, height, scale, data, atPx, at: (x, y) => atPx(x * scale, y * scale) };
}

/** Decode a PNG (or first GIF frame) into straight RGBA pixels; `scale` maps template coordinates for `at`. */
export function decode(bytes: Uint8Array, scale = 1): Pixels {
  const img = new Image();
  img.src = Buffer.from(bytes);
  const c = createCanvas(img.width, img.height);
  const g = c.getContext('2d');
  g.drawImage(img, 0, 0);
  return wrap(img.width, img.height, g.getImageData(0, 0, img.width, img.height).data, scale);
}

/** Every frame of a GIF, composited, with its delay in centiseconds. */
export function decodeGif(bytes: Uint8Array, scale = 1): { frames: Pixels[]; delays: number[] } {
  const r = new GifReader(bytes);
  const frames: Pixels[] = [];
  const delays: number[] = [];
  const buf = new Uint8ClampedArray(r.width * r.height * 4);
  for (let i = 0; i < r.numFrames(); i++) {
    const info = r.frameInfo(i);
    r.decodeAndBlitFrameRGBA(i, buf);
    frames.push(wrap(r.width, r.height, buf.slice(), scale));
    delays.push(info.delay);
    if (info.disposal === 2) buf.fill(0);
  }
  return { frames, delays };
}

export function solidPng(w: number, h: number, color: string): Buffer {
  const c = createCanvas(w, h);
  const g = c.getContext('2d');
  g.fillStyle = color;
  g.fillRect(0, 0, w, h);
  return c.encodeSync('png');
}

export function template(overrides: CardTemplateInput = {}): CardTemplate {
  return cardTemplateSchema.parse(overrides);
}

export function context(overrides: Partial<CardContext> = {}): CardContext {
  return {
    displayName: 'Tester',
    avatar: null,
    level: 12,
    rank: 3,
    xpInLevel: 50,
    xpNeeded: 100,
    totalXp: 1234,
    clubName: null,
    clubIcon: null,
    background: null,
    backgroundKey: null,
    template: defaultCardTemplate,
    ...overrides,
  };
}

export const isSaturated = ([r, g, b]: readonly number[]) => Math.max(r!, g!, b!) - Math.min(r!, g!, b!) > 60;
export const near = (a: readonly number[], b: readonly number[], tol = 12) => a.every((v, i) => i > 2 || Math.abs(v - b[i]!) <= tol);

/** An animated GIF of `frames` flat frames of w×h, each with its delay in centiseconds. */
export function gif(frames: number, delays: (i: number) => number, w = 64, h = 32): Buffer {
  const enc = gifenc.GIFEncoder();
  for (let i = 0; i < frames; i++) {
    const c = createCanvas(w, h);
    const g = c.getContext('2d');
    g.fillStyle = `hsl(${(i * 47) % 360}, 80%, 50%)`;
    g.fillRect(0, 0, w, h);
    const rgba = g.getImageData(0, 0, w, h).data;
    const palette = gifenc.quantize(rgba, 16);
    enc.writeFrame(gifenc.applyPalette(rgba, palette), w, h, { palette, delay: delays(i) * 10 });
  }
  enc.finish();
  return Buffer.from(enc.bytesView());
}

/**
 * A GIF bomb: a small logical screen (and small file) whose frame descriptors declare `declared` × `declared`
 * pixels each; the LZW data stays that of a w×h frame.
 */
export function gifBomb(frames: number, declared: number, w = 16, h = 16): Buffer {
  const bytes = gif(frames, () => 5, w, h);
  let patched = 0;
  for (let i = 13; i + 9 < bytes.length; i++) {
    // An image descriptor at (0,0) of w×h: 2C 0000 0000 w h
    if (bytes[i] === 0x2c && bytes.readUInt32LE(i + 1) === 0 && bytes.readUInt16LE(i + 5) === w && bytes.readUInt16LE(i + 7) === h) {
      bytes.writeUInt16LE(declared, i + 5);
      bytes.writeUInt16LE(declared, i + 7);
      patched++;
    }
  }
  if (patched !== frames) throw new Error(`patched ${patched} of ${frames} frame descriptors`);
  return bytes;
}
