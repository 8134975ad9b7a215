/**
 * Anti-spam rules of message XP (DESIGN §2.1.2), as pure functions over a message's text. They run only when a
 * server turns them on, and only for messages past the cooldown, so they are written for that hot path: one pass
 * over the text, no regular expressions, no strings built, no sorting, and nothing allocated per message.
 */

/** Bigrams kept of one message: a near repeat shows in its first 64, and a wall of text costs no more than that. */
const MAX_KEYS = 64;
/** A key list: index 0 holds how many keys follow. */
export const KEYS_CAPACITY = MAX_KEYS + 1;
/** How often each key occurs in the text being compared; every count is back at 0 after each comparison. */
const counts = new Uint8Array(65_536);

/** Whitespace as Discord users type it: space, tab, line breaks, no-break space. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 160;
}

/**
 * Nadeko's rule, with its 5 as `min`: a message counts if it holds two words (whitespace between non-space
 * characters) or at least `min` characters (code points, so an emoji is one).
 */
export function longEnough(content: string, min: number): boolean {
  let start = 0;
  let end = content.length;
  while (start < end && isSpace(content.charCodeAt(start))) start++;
  while (end > start && isSpace(content.charCodeAt(end - 1))) end--;
  let chars = 0;
  for (let i = start; i < end; i++) {
    const c = content.charCodeAt(i);
    if (isSpace(c)) return true;
    if (c < 0xdc00 || c > 0xdfff) chars++; // a low surrogate ends a code point already counted
    if (chars >= min) return true;
  }
  return false;
}

/** Lower case for ASCII, Latin-1, Greek and Cyrillic capitals without building a string; other characters as they are. */
function lower(c: number): number {
  if (c < 128) return c >= 65 && c <= 90 ? c + 32 : c;
  if ((c >= 0xc0 && c <= 0xde && c !== 0xd7) || (c >= 0x391 && c <= 0x3ab && c !== 0x3a2) || (c >= 0x410 && c <= 0x42f)) return c + 32;
  if (c >= 0x400 && c <= 0x40f) return c + 80;
  return c;
}

/** One bigram (two UTF-16 units) as a 16-bit key; a rare collision only makes two texts look a little more alike. */
function bigram(a: number, b: number): number {
  return Math.imul(a ^ Math.imul(b, 0x85ebca6b), 0xc2b2ae35) >>> 16;
}

/**
 * A message's normalised text as the keys of its character bigrams, written into `into` (index 0: the count):
 * lower case, ASCII spaces and punctuation dropped, a run of one character counted once ("loooool!!" is "lol").
 * A single character is one key of its own; an empty text (no letters, or a bot without the Message Content
 * intent) has no keys and is never judged similar.
 */
export function textKeys(content: string, into: Uint16Array = new Uint16Array(KEYS_CAPACITY)): Uint16Array {
  let n = 0;
  let last = -1;
  for (let i = 0; i < content.length && n < MAX_KEYS; i++) {
    let c = content.charCodeAt(i);
    if (c < 128) {
      if (c >= 65 && c <= 90) c += 32;
      else if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57))) continue;
    } else c = lower(c);
    if (c === last) continue;
    if (last !== -1) into[++n] = bigram(last, c);
    last = c;
  }
  if (n === 0 && last !== -1) into[++n] = bigram(last, 0); // NUL never survives normalisation: no text bigram has it
  into[0] = n;
  return into;
}

/** Whether two key lists share at least `percent` % of their bigrams (Sørensen–Dice on the multisets). */
export function similarAtLeast(a: Uint16Array, b: Uint16Array, percent: number): boolean {
  const na = a[0]!;
  const nb = b[0]!;
  if (na === 0 || nb === 0) return false;
  const total = na + nb;
  // Dice is at most 2·min / total: skip the count when the lengths alone rule it out.
  if (Math.min(na, nb) * 200 < percent * total) return false;
  for (let i = 1; i <= na; i++) counts[a[i]!]!++;
  let common = 0;
  for (let j = 1; j <= nb; j++) {
    const k = b[j]!;
    if (counts[k]! > 0) {
      counts[k]!--;
      common++;
    }
  }
  for (let i = 1; i <= na; i++) counts[a[i]!] = 0;
  return common * 200 >= percent * total;
}
