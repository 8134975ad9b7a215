/** Text helpers shared by the renderer and the CLI: number formatting and grapheme-safe ellipsis. */

const groupFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 1234567 → "1,234,567". Non-finite numbers show as "0". */
export function formatNumber(n: number): string {
  return Number.isFinite(n) ? groupFormat.format(Math.trunc(n)) : '0';
}

/** Fill `{key}` placeholders; unknown keys stay as written. */
export function fillFormat(format: string, values: Record<string, string>): string {
  return format.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Grapheme clusters, so an ellipsis never splits an emoji (ZWJ sequences, flags, skin tones) or a combining mark. */
export function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/**
 * The longest prefix of `text` (whole graphemes) that, followed by "…", measures at most `maxWidth`.
 * Returns `text` unchanged when it already fits. Binary search: O(log n) measurements.
 */
export function ellipsize(text: string, maxWidth: number, measure: (s: string) => number): string {
  if (measure(text) <= maxWidth) return text;
  const parts = graphemes(text);
  let lo = 0;
  let hi = parts.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (measure(parts.slice(0, mid).join('').trimEnd() + '…') <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return lo === 0 ? (measure('…') <= maxWidth ? '…' : '') : parts.slice(0, lo).join('').trimEnd() + '…';
}

/** Longest text drawn, in code units: far more than fits on a card, small enough that measuring stays cheap. */
const MAX_TEXT = 300;

/**
 * Control characters and bidi overrides out, whitespace runs collapsed, length bounded: a display name or club name
 * cannot break the layout or make measuring slow.
 */
export function cleanText(text: string): string {
  let clean = text
    .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (clean.length > MAX_TEXT) {
    let cut = '';
    for (const g of graphemes(clean.slice(0, MAX_TEXT + 20))) {
      if (cut.length + g.length > MAX_TEXT) break;
      cut += g;
    }
    clean = cut;
  }
  return clean;
}

const MARK = /\p{M}/u;

/**
 * Keep at most `max` combining marks per grapheme (the first ones): enough for real accents and vowel signs, and a
 * "Zalgo" letter with dozens of stacked marks becomes a letter with a couple.
 */
export function capMarks(text: string, max: number): string {
  return graphemes(text)
    .map((g) => {
      let marks = 0;
      let out = '';
      for (const ch of g) {
        if (MARK.test(ch) && ++marks > max) continue;
        out += ch;
      }
      return out;
    })
    .join('');
}
