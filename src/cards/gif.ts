/**
 * GIF in and out. Decoding uses omggif (small, no dependencies, exposes each frame's delay and disposal); frames are
 * composited with their disposal methods so every output frame is a full picture. Encoding uses gifenc: per-frame
 * palettes quantized in RGB444 space, which measured ~2.5× faster than @napi-rs/canvas's built-in NeuQuant
 * GifEncoder at a smaller size (bench/cards.ts).
 */
import { GifReader } from 'omggif';
import { GIFEncoder, quantize, applyPalette } from './gifenc.js';

export interface GifLimits {
  /** Largest width × height of the GIF's logical screen. */
  maxPixels: number;
  /** Budget for decoding: frames × width × height. Frames past it are dropped (their time goes to the last kept one). */
  maxDecodedPixels: number;
  /** Frames handed on; more are merged (see `mergeFrames`). */
  maxFrames: number;
}

export interface TimedFrame<T> {
  image: T;
  /** Delay in centiseconds, as stored in the GIF (0 is kept as 0; viewers treat it as their minimum). */
  delayCs: number;
}

/** Is this a GIF with more than one frame? Cheap: reads the structure, decodes nothing. */
export function gifFrameCount(bytes: Uint8Array): number {
  if (!isGif(bytes)) return 0;
  try {
    return new GifReader(bytes).numFrames();
  } catch {
    return 0;
  }
}

export function isGif(bytes: Uint8Array): boolean {
  return bytes.length >= 6 && bytes[0] === 0x47 && bytes[1] === 0x49 && bytes[2] === 0x46 && bytes[3] === 0x38;
}

/**
 * Merge consecutive frames so at most `max` remain, each group shown for the sum of its delays: the loop keeps its
 * length and rhythm, only with fewer distinct pictures. Returns the input when it is short enough.
 */
export function mergeFrames<T>(frames: ReadonlyArray<TimedFrame<T>>, max: number): TimedFrame<T>[] {
  if (frames.length <= max) return [...frames];
  const out: TimedFrame<T>[] = [];
  for (let g = 0; g < max; g++) {
    const start = Math.floor((g * frames.length) / max);
    const end = Math.floor(((g + 1) * frames.length) / max);
    let delay = 0;
    for (let i = start; i < end; i++) delay += frames[i]!.delayCs;
    out.push({ image: frames[start]!.image, delayCs: Math.min(delay, 0xffff) });
  }
  return out;
}

/**
 * Decode every frame to a full RGBA picture (disposal applied), calling `keep` for each so the caller can scale it
 * and let the big buffer go. Throws on a broken or oversized GIF.
 */
export function decodeGifFrames<T>(bytes: Uint8Array, limits: GifLimits, keep: (rgba: Uint8ClampedArray, width: number, height: number) => T): {
  frames: TimedFrame<T>[];
  width: number;
  height: number;
} {
  const reader = new GifReader(bytes);
  const { width, height } = reader;
  if (width <= 0 || height <= 0 || width * height > limits.maxPixels) throw new Error(`GIF of ${width}×${height} is too large`);
  const total = reader.numFrames();
  const budgetFrames = Math.max(1, Math.floor(limits.maxDecodedPixels / (width * height)));
  const count = Math.min(total, budgetFrames);
  // omggif allocates and fills each frame at the size its descriptor declares, whatever the screen: a 16×16 GIF
  // whose frames declare 8000×8000 costs seconds and hundreds of MB. Every frame must lie inside the screen, so the
  // work is bounded by the screen size × the frames decoded, which the budget above caps; checked before any decoding.
  for (let i = 0; i < total; i++) {
    const f = reader.frameInfo(i);
    if (f.width <= 0 || f.height <= 0 || f.x + f.width > width || f.y + f.height > height) {
      throw new Error(`GIF frame ${i + 1} (${f.width}×${f.height} at ${f.x},${f.y}) lies outside its ${width}×${height} screen`);
    }
  }
  const canvas = new Uint8ClampedArray(width * height * 4);
  let saved: Uint8ClampedArray | null = null;
  const frames: TimedFrame<T>[] = [];
  for (let i = 0; i < count; i++) {
    const info = reader.frameInfo(i);
    if (info.disposal === 3) saved = canvas.slice();
    reader.decodeAndBlitFrameRGBA(i, canvas);
    frames.push({ image: keep(canvas, width, height), delayCs: info.delay });
    // Prepare the canvas for the next frame.
    if (info.disposal === 2) {
      const x0 = Math.max(0, info.x);
      const x1 = Math.min(width, info.x + info.width);
      for (let y = Math.max(0, info.y); y < Math.min(height, info.y + info.height); y++) {
        canvas.fill(0, (y * width + x0) * 4, (y * width + x1) * 4);
      }
    } else if (info.disposal === 3 && saved) {
      canvas.set(saved);
    }
  }
  // Frames cut by the budget keep their time on the last decoded frame, so the loop length stays right.
  if (count < total && frames.length > 0) {
    let rest = 0;
    for (let i = count; i < total; i++) rest += reader.frameInfo(i).delay;
    const last = frames[frames.length - 1]!;
    last.delayCs = Math.min(0xffff, last.delayCs + rest);
  }
  return { frames: mergeFrames(frames, limits.maxFrames), width, height };
}

export interface GifFrameInput {
  rgba: Uint8Array | Uint8ClampedArray;
  delayCs: number;
}

/**
 * Encode full frames as a looping GIF, each frame with its own palette. `transparentPixels` (optional) lists the
 * pixels that are transparent in every frame (the card's rounded corners).
 */
export function encodeGif(frames: ReadonlyArray<GifFrameInput>, width: number, height: number, transparentPixels: ArrayLike<number> = []): Buffer {
  const transparent = transparentPixels.length > 0;
  return encodeIndexedGif(
    frames.map((frame) => {
      const palette = quantize(frame.rgba, transparent ? 255 : 256, { format: 'rgb444' });
      const index = applyPalette(frame.rgba, palette, 'rgb444');
      for (let i = 0; i < transparentPixels.length; i++) index[transparentPixels[i]!] = 255;
      return { index, palette, delayCs: frame.delayCs };
    }),
    width,
    height,
    transparent,
  );
}

export interface IndexedGifFrame {
  /** One palette index per pixel. */
  index: Uint8Array;
  /** At most 255 colours when `transparent`, else 256. */
  palette: number[][];
  delayCs: number;
}

/**
 * Encode frames already mapped to their palettes. With `transparent`, index 255 is the transparent colour. Each frame
 * is encoded before the next is taken, so a generator may hand out the same index buffer every time.
 */
export function encodeIndexedGif(frames: Iterable<IndexedGifFrame>, width: number, height: number, transparent: boolean): Buffer {
  const encoder = GIFEncoder({ initialCapacity: Math.max(1024, width * height * 2) });
  for (const frame of frames) {
    let palette = frame.palette;
    if (transparent) {
      palette = palette.slice(0, 255);
      while (palette.length < 256) palette.push([0, 0, 0]);
    }
    encoder.writeFrame(frame.index, width, height, {
      palette,
      delay: frame.delayCs * 10,
      repeat: 0,
      ...(transparent ? { transparent: true, transparentIndex: 255, dispose: 2 } : {}),
    });
  }
  encoder.finish();
  return Buffer.from(encoder.bytesView());
}
