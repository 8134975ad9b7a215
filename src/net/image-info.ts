/**
 * What an image file is, from its bytes alone: the type by magic bytes, and the size and frame count from the headers,
 * without decoding pixels. Used to refuse non-images and decompression bombs before anything decodes them.
 */

export type ImageType = 'png' | 'jpeg' | 'gif' | 'webp';

export interface ImageInfo {
  type: ImageType;
  width: number;
  height: number;
  /** 1 for a still image; GIF and animated WebP count their frames. */
  frames: number;
}

const ascii = (b: Uint8Array, at: number, s: string) => {
  for (let i = 0; i < s.length; i++) if (b[at + i] !== s.charCodeAt(i)) return false;
  return true;
};
const u16le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const u16be = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const u24le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16);
const u32le = (b: Uint8Array, at: number) => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16)) + b[at + 3]! * 0x1000000;
const u32be = (b: Uint8Array, at: number) => b[at]! * 0x1000000 + ((b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!);

/** The type from the first bytes (12 are enough), or null when it is none of the four. */
export function sniffImageType(b: Uint8Array): ImageType | null {
  if (b.length >= 8 && b[0] === 0x89 && ascii(b, 1, 'PNG\r\n\x1a\n')) return 'png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 6 && (ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a'))) return 'gif';
  if (b.length >= 12 && ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP')) return 'webp';
  return null;
}

/** Type, size and frames; null when the bytes are not a well-formed image of a known type. */
export function readImageInfo(b: Uint8Array): ImageInfo | null {
  try {
    switch (sniffImageType(b)) {
      case 'png':
        return b.length >= 24 && ascii(b, 12, 'IHDR') ? { type: 'png', width: u32be(b, 16), height: u32be(b, 20), frames: pngFrames(b) } : null;
      case 'jpeg':
        return jpegInfo(b);
      case 'gif':
        return gifInfo(b);
      case 'webp':
        return webpInfo(b);
      default:
        return null;
    }
  } catch {
    return null;
  }
}

/** APNG: the acTL chunk's frame count; 1 otherwise. */
function pngFrames(b: Uint8Array): number {
  let at = 8;
  while (at + 12 <= b.length) {
    const len = u32be(b, at);
    if (ascii(b, at + 4, 'acTL') && at + 12 <= b.length) return Math.max(1, u32be(b, at + 8));
    if (ascii(b, at + 4, 'IDAT')) return 1;
    at += 12 + len;
  }
  return 1;
}

function jpegInfo(b: Uint8Array): ImageInfo | null {
  let at = 2;
  while (at + 9 < b.length) {
    if (b[at] !== 0xff) return null;
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at++;
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    const len = u16be(b, at + 2);
    // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { type: 'jpeg', height: u16be(b, at + 5), width: u16be(b, at + 7), frames: 1 };
    }
    if (marker === 0xda) return null; // scan data before any frame header
    at += 2 + len;
  }
  return null;
}

/** Walks the GIF block structure to count image descriptors; null when a frame does not lie inside the screen. */
function gifInfo(b: Uint8Array): ImageInfo | null {
  const width = u16le(b, 6);
  const height = u16le(b, 8);
  let at = 13;
  if (b[10]! & 0x80) at += 3 * (1 << ((b[10]! & 7) + 1));
  let frames = 0;
  const skipSubBlocks = () => {
    while (at < b.length) {
      const size = b[at]!;
      at += 1 + size;
      if (size === 0) return;
    }
  };
  while (at < b.length) {
    const block = b[at]!;
    if (block === 0x3b) break; // trailer
    if (block === 0x21) {
      at += 2;
      skipSubBlocks();
    } else if (block === 0x2c) {
      frames++;
      // A frame outside the logical screen is how a 16×16 GIF makes a decoder allocate 8000×8000 per frame.
      const x = u16le(b, at + 1);
      const y = u16le(b, at + 3);
      const w = u16le(b, at + 5);
      const h = u16le(b, at + 7);
      if (w === 0 || h === 0 || x + w > width || y + h > height) return null;
      const flags = b[at + 9]!;
      at += 10;
      if (flags & 0x80) at += 3 * (1 << ((flags & 7) + 1));
      at += 1; // LZW minimum code size
      skipSubBlocks();
    } else {
      break; // garbage after the last frame: browsers stop there too
    }
  }
  return frames > 0 ? { type: 'gif', width, height, frames } : null;
}

function webpInfo(b: Uint8Array): ImageInfo | null {
  let at = 12;
  let info: ImageInfo | null = null;
  let frames = 0;
  while (at + 8 <= b.length) {
    const size = u32le(b, at + 4);
    const data = at + 8;
    if (ascii(b, at, 'VP8X') && data + 10 <= b.length) {
      info = { type: 'webp', width: u24le(b, data + 4) + 1, height: u24le(b, data + 7) + 1, frames: 1 };
    } else if (ascii(b, at, 'VP8 ') && !info && data + 10 <= b.length) {
      info = { type: 'webp', width: u16le(b, data + 6) & 0x3fff, height: u16le(b, data + 8) & 0x3fff, frames: 1 };
    } else if (ascii(b, at, 'VP8L') && !info && data + 5 <= b.length) {
      const bits = u32le(b, data + 1);
      info = { type: 'webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1, frames: 1 };
    } else if (ascii(b, at, 'ANMF')) {
      frames++;
    }
    at = data + size + (size & 1);
  }
  if (info && frames > 1) info.frames = frames;
  return info;
}
