import { describe, expect, it } from 'vitest';
import { createCanvas } from '@napi-rs/canvas';
import { cssFont, registerBundledFonts } from '../../src/cards/fonts.js';

registerBundledFonts();

/** Draw one string in the card's font stack and return its pixels (black on white). */
function ink(text: string): Uint8ClampedArray {
  const c = createCanvas(120, 60);
  const g = c.getContext('2d');
  g.fillStyle = '#fff';
  g.fillRect(0, 0, 120, 60);
  g.fillStyle = '#000';
  g.font = cssFont({ family: 'Unicornia Sans', weight: 'bold' }, 40);
  g.fillText(text, 10, 45);
  return g.getImageData(0, 0, 120, 60).data;
}

const same = (a: Uint8ClampedArray, b: Uint8ClampedArray) => a.every((v, i) => v === b[i]);

describe('bundled fonts', () => {
  // U+10FFFD is a private-use code point no font covers: what it draws is the "tofu" box.
  const tofu = ink('\u{10FFFD}');

  it.each([
    ['Latin', 'Ü'],
    ['Cyrillic', 'ж'],
    ['Greek', 'Ω'],
    ['CJK (Han)', '猫'],
    ['kana', 'ね'],
    ['Hangul', '한'],
    ['Arabic', 'م'],
    ['Hebrew', 'ש'],
    ['Devanagari', 'न'],
    ['Thai', 'ส'],
    ['symbols', '☆'],
    ['more symbols', '♫'],
    ['emoji', '🦄'],
  ])('given %s, then a real glyph is drawn, not tofu', (_script, char) => {
    const drawn = ink(char);
    expect(drawn.some((v, i) => i % 4 !== 3 && v < 128)).toBe(true);
    expect(same(drawn, tofu)).toBe(false);
  });

  it.each(['🦄', '❤️', '👍🏽', '🇯🇵'])('given the emoji %s, then it is drawn in colour', (emoji) => {
    const d = ink(emoji);
    let coloured = 0;
    for (let i = 0; i < d.length; i += 4) if (Math.max(d[i]!, d[i + 1]!, d[i + 2]!) - Math.min(d[i]!, d[i + 1]!, d[i + 2]!) > 60) coloured++;
    expect(coloured).toBeGreaterThan(100);
  });
});
