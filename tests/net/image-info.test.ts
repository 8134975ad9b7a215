import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createCanvas } from '@napi-rs/canvas';
import { readImageInfo, sniffImageType } from '../../src/net/image-info.js';

const canvas = createCanvas(37, 21);
canvas.getContext('2d').fillRect(0, 0, 10, 10);

describe('image info from headers', () => {
  it.each([
    ['png', canvas.encodeSync('png')],
    ['jpeg', canvas.encodeSync('jpeg', 80)],
    ['webp', canvas.encodeSync('webp', 80)],
  ] as const)('given a %s, then its type and size are read', (type, bytes) => {
    expect(readImageInfo(bytes)).toEqual({ type, width: 37, height: 21, frames: 1 });
  });

  it('given an animated GIF, then its frames are counted', () => {
    const gif = readFileSync(new URL('../../assets/backgrounds/aurora.gif', import.meta.url));
    expect(readImageInfo(gif)).toEqual({ type: 'gif', width: 500, height: 245, frames: 20 });
  });

  it('given HTML, an SVG or nothing, then it is not an image', () => {
    for (const text of ['<!doctype html><html>', '<svg xmlns="http://www.w3.org/2000/svg"/>', '']) {
      expect(sniffImageType(Buffer.from(text))).toBeNull();
      expect(readImageInfo(Buffer.from(text))).toBeNull();
    }
  });
});
