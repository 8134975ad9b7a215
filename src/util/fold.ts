/**
 * A name folded for search: compatibility forms unified (full-width letters, ligatures), accents and other marks
 * dropped, lower case. "Zoë" and "ＺＯＥ" both fold to "zoe", so a search finds the name however it was typed.
 */
export function foldName(name: string): string {
  return name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}
