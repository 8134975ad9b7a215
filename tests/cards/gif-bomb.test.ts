/**
 * GIF bombs: a GIF with a small logical screen whose frames declare huge rectangles. Only the screen used to be
 * checked, so a 16×16 GIF with 8000×8000 frames took seconds and hundreds of MB to decode. Every frame's rectangle
 * is checked before anything is allocated, by the header reader (fetched images, files) and by the decoder.
 */
import { describe, expect, it } from 'vitest';
import { decodeGifFrames } from '../../src/cards/gif.js';
import { CardPainter, decodeImage } from '../../src/cards/painter.js';
import { readImageInfo } from '../../src/net/image-info.js';
import { context, gif, gifBomb } from './helpers.js';

const limits = { maxPixels: 4096 * 4096, maxDecodedPixels: 120_000_000, maxFrames: 60 };

describe('GIF frame rectangles', () => {
  const bomb = gifBomb(3, 8000);

  it('given frames that declare 8000×8000 on a 16×16 screen, then the header reader calls it no usable image', () => {
    expect(bomb.length).toBeLessThan(2_000);
    expect(readImageInfo(bomb)).toBeNull();
  });

  it('given the same GIF, then the decoder refuses it before decoding any frame', () => {
    let decoded = 0;
    expect(() => decodeGifFrames(bomb, limits, () => decoded++)).toThrow(/frame 1 \(8000×8000 at 0,0\) lies outside its 16×16 screen/);
    expect(decoded).toBe(0);
  });

  it('given one frame that pokes out of the screen, then it is refused too', () => {
    expect(readImageInfo(gifBomb(1, 17))).toBeNull();
    expect(() => decodeGifFrames(gifBomb(1, 17), limits, () => 0)).toThrow(/outside/);
  });

  it('given a well-formed animated GIF, then it is read and decoded as before', () => {
    const ok = gif(4, () => 5, 16, 16);
    expect(readImageInfo(ok)).toEqual({ type: 'gif', width: 16, height: 16, frames: 4 });
    expect(decodeGifFrames(ok, limits, () => 0).frames).toHaveLength(4);
  });

  it('given the bomb as a card background or an avatar, then the card is drawn without it (still PNG), quickly', () => {
    const painter = new CardPainter();
    const started = performance.now();
    const out = painter.paint(context({ background: bomb, backgroundKey: 'bomb', avatar: bomb }));
    expect(out.format).toBe('png');
    expect(decodeImage(bomb, limits.maxPixels)).toBeNull();
    // On the unchecked decoder this took over a second per 8000×8000 frame.
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
