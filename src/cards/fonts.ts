/**
 * The fonts that ship in assets/fonts, registered under our own family names so a card never depends on what the
 * host has installed. Skia falls back per glyph along a CSS family list, so `FALLBACK_FAMILIES` is appended to every
 * family a template names: Latin/Cyrillic/Greek → CJK → other scripts → colour emoji → symbols.
 */
import { GlobalFonts } from '@napi-rs/canvas';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const FONT_DIR = fileURLToPath(new URL('../../assets/fonts/', import.meta.url));

const BUNDLED: ReadonlyArray<{ file: string; family: string }> = [
  { file: 'NotoSans-Regular.ttf', family: 'Unicornia Sans' },
  { file: 'NotoSans-Bold.ttf', family: 'Unicornia Sans' },
  { file: 'NotoSansCJKsc-Bold.subset.otf', family: 'Unicornia CJK' },
  { file: 'NotoSansArabic-Regular.ttf', family: 'Unicornia Arabic' },
  { file: 'NotoSansHebrew-Regular.ttf', family: 'Unicornia Hebrew' },
  { file: 'NotoSansDevanagari-Regular.ttf', family: 'Unicornia Devanagari' },
  { file: 'NotoSansBengali-Regular.ttf', family: 'Unicornia Bengali' },
  { file: 'NotoSansTamil-Regular.ttf', family: 'Unicornia Tamil' },
  { file: 'NotoSansThai-Regular.ttf', family: 'Unicornia Thai' },
  { file: 'NotoSansGeorgian-Regular.ttf', family: 'Unicornia Georgian' },
  { file: 'NotoSansArmenian-Regular.ttf', family: 'Unicornia Armenian' },
  { file: 'NotoColorEmoji.ttf', family: 'Unicornia Emoji' },
  { file: 'NotoSansSymbols-Regular.ttf', family: 'Unicornia Symbols' },
  { file: 'NotoSansSymbols2-Regular.ttf', family: 'Unicornia Symbols 2' },
];

/**
 * Appended, in this order, after the family a template asks for. Emoji come before the symbol fonts so that
 * characters with an emoji form (❤ ♥ ✔ ☀ …) look as Discord shows them, in colour; the symbol fonts then cover
 * what has no emoji form (☆ ♫ ⚝ arrows, dingbats).
 */
export const FALLBACK_FAMILIES = [...new Set(BUNDLED.map((f) => f.family))];

let bundledDone = false;
const extraDone = new Set<string>();

/** Register the bundled fonts once per thread (a worker has its own Skia font collection). Throws if one is missing. */
export function registerBundledFonts(): void {
  if (bundledDone) return;
  for (const { file, family } of BUNDLED) {
    const key = GlobalFonts.registerFromPath(path.join(FONT_DIR, file), family);
    if (!key) throw new Error(`Could not load the bundled font ${file} from ${FONT_DIR}`);
  }
  bundledDone = true;
}

/** Register template fonts (`card.fonts`); a missing file is reported once and the fallbacks are used. */
export function registerExtraFonts(fonts: ReadonlyArray<{ family: string; path: string }>, warn: (msg: string) => void = () => {}): void {
  for (const f of fonts) {
    const id = `${f.family}\0${f.path}`;
    if (extraDone.has(id)) continue;
    extraDone.add(id);
    if (!GlobalFonts.registerFromPath(path.resolve(f.path), f.family)) warn(`card font ${f.path} could not be loaded`);
  }
}

function quote(family: string): string {
  return /^[a-z0-9 -]+$/i.test(family) ? `"${family}"` : `"${family.replace(/["\\]/g, '')}"`;
}

/** A CSS `font` shorthand with the fallback chain, e.g. `bold 28px "Unicornia Sans", "Unicornia CJK", …`. */
export function cssFont(font: { family: string; weight: 'normal' | 'bold' }, size: number): string {
  const families = [font.family, ...FALLBACK_FAMILIES.filter((f) => f !== font.family)];
  return `${font.weight} ${Math.round(size * 10) / 10}px ${families.map(quote).join(', ')}`;
}
