import { describe, expect, it } from 'vitest';
import { createCanvas } from '@napi-rs/canvas';
import { encodePng } from '../../src/cards/png.js';
import { decode } from './helpers.js';

/** A noisy picture with a transparent hole: photographic content is where a PNG encoder is slow. */
function picture(w: number, h: number): Uint8ClampedArray {
  const c = createCanvas(w, h);
  const g = c.getContext('2d');
  const grad = g.createLinearGradient(0, 0, w, h);
  grad.addColorStop(0, '#123456');
  grad.addColorStop(1, '#fedcba');
  g.fillStyle = grad;
  g.fillRect(0, 0, w, h);
  const img = g.getImageData(0, 0, w, h);
  let seed = 1;
  for (let i = 0; i < img.data.length; i += 4) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    img.data[i] = (img.data[i]! + (seed >>> 24) % 20) & 0xff;
  }
  for (let y = 0; y < 10; y++) for (let x = 0; x < 10; x++) img.data[(y * w + x) * 4 + 3] = 0;
  return img.data;
}

describe('encodePng', () => {
  it('given RGBA pixels, then decoding the PNG gives exactly the same pixels (lossless, alpha kept)', () => {
    const px = picture(61, 37);
    // Fully transparent pixels carry no colour after a round trip through a premultiplied canvas; compare alpha there.
    const back = decode(encodePng(px, 61, 37)).data;
    for (let i = 0; i < px.length; i += 4) {
      if (px[i + 3] === 0) expect(back[i + 3]).toBe(0);
      else expect([back[i], back[i + 1], back[i + 2], back[i + 3]]).toEqual([px[i], px[i + 1], px[i + 2], px[i + 3]]);
    }
  });
});
