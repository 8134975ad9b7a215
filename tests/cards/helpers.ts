import { createCanvas, Image } from '@napi-rs/canvas';
import { GifReader } from 'omggif';
import type { CardContext } from '../../src/cards/context.js';
import { cardTemplateSchema, defaultCardTemplate, type CardTemplate, type CardTemplateInput } from '../../src/cards/template.js';

export interface Pixels {
  width: number;
  height: number;
  data: Uint8ClampedArray;
  at(x: number, y: number): [number, number, number, number];
}

function wrap(width: number, height: number, data: Uint8ClampedArray): Pixels {
  return {
    width,
    height,
    data,
    at(x, y) {
      const i = (Math.round(y) * width + Math.round(x)) * 4;
      return [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!];
    },
  };
}

/** Decode a PNG (or first GIF frame) into straight RGBA pixels. */
export function decode(bytes: Uint8Array): Pixels {
  const img = new Image();
  img.src = Buffer.from(bytes);
  const c = createCanvas(img.width, img.height);
  const g = c.getContext('2d');
  g.drawImage(img, 0, 0);
  return wrap(img.width, img.height, g.getImageData(0, 0, img.width, img.height).data);
}

/** Every frame of a GIF, composited, with its delay in centiseconds. */
export function decodeGif(bytes: Uint8Array): { frames: Pixels[]; delays: number[] } {
  const r = new GifReader(bytes);
  const frames: Pixels[] = [];
  const delays: number[] = [];
  const buf = new Uint8ClampedArray(r.width * r.height * 4);
  for (let i = 0; i < r.numFrames(); i++) {
    const info = r.frameInfo(i);
    r.decodeAndBlitFrameRGBA(i, buf);
    frames.push(wrap(r.width, r.height, buf.slice()));
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
