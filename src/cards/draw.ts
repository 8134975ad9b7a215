/**
 * Drawing a card, in two layers:
 * - the static layer (background + wash + panel + labels + bar track), which depends only on the background and the
 *   template and is cached by the painter;
 * - the dynamic layer (avatar and its ring, name, club, numbers, bar fill, XP text), drawn per render on top of it —
 *   once for a still card, once onto a transparent overlay for an animated one.
 * Coordinates are the template's (logical pixels); the painter scales the context for `card.scale`.
 */
import type { Image, SKRSContext2D } from '@napi-rs/canvas';
import type { CardTemplate, LabelStyle, TextStyle } from './template.js';
import { cssFont } from './fonts.js';
import type { CardContext } from './context.js';
import { capMarks, cleanText, ellipsize, fillFormat, formatNumber, graphemes } from './format.js';

type Ctx = SKRSContext2D;
type Drawable = Parameters<Ctx['drawImage']>[0];

/** The values the dynamic layer shows, already cleaned up (no bytes: images are decoded by the caller). */
export type CardValues = Pick<CardContext, 'displayName' | 'level' | 'rank' | 'xpInLevel' | 'xpNeeded' | 'totalXp' | 'clubName'>;

export interface CardImages {
  avatar: Image | null;
  clubIcon: Image | null;
}

/** Draw `image` to cover the rectangle (centre crop, like CSS `object-fit: cover`). */
export function drawCover(ctx: Ctx, image: Drawable & { width: number; height: number }, x: number, y: number, w: number, h: number): void {
  const scale = Math.max(w / image.width, h / image.height);
  const sw = w / scale;
  const sh = h / scale;
  ctx.drawImage(image, (image.width - sw) / 2, (image.height - sh) / 2, sw, sh, x, y, w, h);
}

/** The card's outline (rounded rectangle), used to clip the background. */
export function clipCard(ctx: Ctx, t: CardTemplate): void {
  ctx.beginPath();
  ctx.roundRect(0, 0, t.width, t.height, Math.min(t.cornerRadius, t.width / 2, t.height / 2));
  ctx.clip();
}

/**
 * Background: the image (cover-fit) or the template's gradient, then the wash. `image` may be a decoded still, one
 * GIF frame already scaled to the card, or null.
 */
export function drawBackground(ctx: Ctx, t: CardTemplate, image: (Drawable & { width: number; height: number }) | null): void {
  ctx.save();
  clipCard(ctx, t);
  // The gradient goes under the image too, so a background with transparent parts never leaves holes in the card.
  const g = ctx.createLinearGradient(0, 0, t.width, t.height);
  g.addColorStop(0, t.background.colorFrom);
  g.addColorStop(1, t.background.colorTo);
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, t.width, t.height);
  if (image && image.width > 0 && image.height > 0) drawCover(ctx, image, 0, 0, t.width, t.height);
  ctx.fillStyle = t.background.dim;
  ctx.fillRect(0, 0, t.width, t.height);
  ctx.restore();
}

/**
 * The level-up card's banner band, above the card (whose layout is then drawn `levelUp.height` lower): the card's
 * background gradient and wash, rounded at the top. It reaches one corner radius under the card so the card's own
 * rounded top corners show the band, not a gap.
 */
export function drawBannerBand(ctx: Ctx, t: CardTemplate): void {
  const h = t.levelUp.height;
  const r = Math.min(t.cornerRadius, t.width / 2, h);
  ctx.save();
  ctx.beginPath();
  ctx.roundRect(0, 0, t.width, h + r, [r, r, 0, 0]);
  ctx.clip();
  const g = ctx.createLinearGradient(0, 0, t.width, h);
  g.addColorStop(0, t.background.colorFrom);
  g.addColorStop(1, t.background.colorTo);
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, t.width, h + r);
  ctx.fillStyle = t.background.dim;
  ctx.fillRect(0, 0, t.width, h + r);
  ctx.restore();
}

/** A four-pointed sparkle centred on (x, y). */
function sparkle(ctx: Ctx, x: number, y: number, r: number): void {
  ctx.beginPath();
  ctx.moveTo(x, y - r);
  ctx.quadraticCurveTo(x, y, x + r, y);
  ctx.quadraticCurveTo(x, y, x, y + r);
  ctx.quadraticCurveTo(x, y, x - r, y);
  ctx.quadraticCurveTo(x, y, x, y - r);
  ctx.fill();
}

/**
 * The banner's text ("LEVEL UP · 10"), a sparkle on each side and a stripe in the bar's colours along the card's top
 * edge. Drawn per render: the level changes, and the stripe takes the member's accent like the bar.
 */
export function drawBanner(ctx: Ctx, t: CardTemplate, level: number, oldLevel: number): void {
  const l = t.levelUp;
  const h = l.height;
  const stripe = Math.max(2, Math.round(h / 14));
  const g = ctx.createLinearGradient(0, 0, t.width, 0);
  g.addColorStop(0, t.bar.fillFrom);
  g.addColorStop(1, t.bar.fillTo);
  ctx.fillStyle = g;
  ctx.fillRect(0, h - stripe, t.width, stripe);
  const size = l.font.size;
  const sparkleR = size * 0.32;
  const gap = size * 0.55;
  const text = fillFormat(l.text, { level: formatNumber(level), oldlevel: formatNumber(oldLevel) });
  const y = (h - stripe) / 2 + size * 0.36; // the caps' middle on the band's middle
  const drawn = drawText(ctx, text, {
    show: true,
    x: t.width / 2,
    y,
    maxWidth: Math.max(0, t.width - 4 * (gap + sparkleR)),
    align: 'center',
    color: l.color,
    font: { ...l.font, minSize: Math.min(l.font.size, l.font.minSize ?? l.font.size * 0.7) },
    shadow: true,
  });
  if (drawn > 0) {
    ctx.fillStyle = g;
    for (const side of [-1, 1]) sparkle(ctx, t.width / 2 + side * (drawn / 2 + gap), y - size * 0.36, sparkleR);
  }
}

/** The template's translucent panel (colour, border, radius) over the given rectangle. */
export function drawPanel(ctx: Ctx, p: CardTemplate['panel'], box: { x: number; y: number; width: number; height: number }): void {
  if (box.width <= 0 || box.height <= 0) return;
  ctx.beginPath();
  ctx.roundRect(box.x, box.y, box.width, box.height, Math.min(p.radius, box.width / 2, box.height / 2));
  ctx.fillStyle = p.color;
  ctx.fill();
  if (p.borderWidth > 0) {
    ctx.lineWidth = p.borderWidth;
    ctx.strokeStyle = p.borderColor;
    ctx.stroke();
  }
}

/** Panel, labels and the empty bar: everything that does not depend on the member. */
export function drawStaticOverlay(ctx: Ctx, t: CardTemplate): void {
  if (t.panel.show) drawPanel(ctx, t.panel, t.panel);
  drawLabel(ctx, t.level.label);
  drawLabel(ctx, t.rank.label);
  const b = t.bar;
  if (b.show) {
    ctx.beginPath();
    ctx.roundRect(b.x, b.y, b.width, b.height, Math.min(b.radius, b.height / 2, b.width / 2));
    ctx.fillStyle = b.trackColor;
    ctx.fill();
  }
}

function drawLabel(ctx: Ctx, l: LabelStyle): void {
  if (!l.show || l.text === '') return;
  drawText(ctx, l.text, l);
}

/** How far a line's box reaches above and below its baseline, in font sizes (Noto's ascender is 1.07, descender 0.29). */
const BOX_ABOVE = 1.15;
const BOX_BELOW = 0.35;

/**
 * The rectangle a line of text may paint: `maxWidth` wide on its anchor, from BOX_ABOVE font sizes above the baseline
 * to BOX_BELOW below. Text is clipped to it, so stacked combining marks ("Zalgo" names) or a tall fallback glyph never
 * paint over the elements around it (DESIGN §4).
 */
export function textBox(s: Pick<TextStyle, 'x' | 'y' | 'maxWidth' | 'align' | 'font'>): { x: number; y: number; width: number; height: number } {
  const left = s.align === 'left' ? s.x : s.align === 'center' ? s.x - s.maxWidth / 2 : s.x - s.maxWidth;
  return { x: left, y: s.y - s.font.size * BOX_ABOVE, width: s.maxWidth, height: s.font.size * (BOX_ABOVE + BOX_BELOW) };
}

/**
 * Draw one line of text in its box: shrink from `font.size` towards `font.minSize` to fit `maxWidth`, then cut with an
 * ellipsis; nothing paints outside `textBox`. Returns the width drawn.
 */
export function drawText(ctx: Ctx, raw: string, s: TextStyle | LabelStyle): number {
  const text = cleanText(raw);
  if (!text || s.maxWidth <= 0) return 0;
  ctx.save();
  const box = textBox(s);
  ctx.beginPath();
  ctx.rect(box.x, box.y, box.width, box.height);
  ctx.clip();
  let size = s.font.size;
  ctx.font = cssFont(s.font, size);
  let width = ctx.measureText(text).width;
  const min = Math.min(s.font.minSize ?? size, size);
  if (width > s.maxWidth && min < size) {
    size = Math.max(min, Math.floor(size * (s.maxWidth / width) * 10) / 10);
    ctx.font = cssFont(s.font, size);
    width = ctx.measureText(text).width;
  }
  const shown = width > s.maxWidth ? ellipsize(text, s.maxWidth, (x) => ctx.measureText(x).width) : text;
  ctx.textAlign = s.align;
  ctx.textBaseline = 'alphabetic';
  ctx.fillStyle = s.color;
  if (s.shadow) {
    ctx.shadowColor = 'rgba(0,0,0,0.55)';
    ctx.shadowBlur = Math.max(2, size / 8);
    ctx.shadowOffsetY = 1;
  }
  ctx.fillText(shown, s.x, s.y);
  const drawn = shown === text ? width : ctx.measureText(shown).width;
  ctx.restore();
  return drawn;
}

/** Progress through the level as a fraction in [0, 1]. */
export function progressOf(xpInLevel: number, xpNeeded: number): number {
  if (!(xpNeeded > 0) || !Number.isFinite(xpInLevel)) return 0;
  return Math.min(1, Math.max(0, xpInLevel / xpNeeded));
}

/** Everything that depends on the member. Draws onto whatever is below (the static layer, or a transparent overlay). */
export function drawDynamic(ctx: Ctx, t: CardTemplate, v: CardValues, images: CardImages): void {
  const a = t.avatar;
  if (a.show) {
    const r = a.size / 2;
    const cx = a.x + r;
    const cy = a.y + r;
    // The ring is drawn per render (not in the cached layer) because a member's accent colour may recolour it.
    if (a.ringWidth > 0) {
      ctx.beginPath();
      ctx.arc(cx, cy, r + a.ringWidth / 2, 0, Math.PI * 2);
      ctx.lineWidth = a.ringWidth;
      ctx.strokeStyle = a.ringColor;
      ctx.stroke();
    }
    ctx.save();
    ctx.beginPath();
    ctx.arc(cx, cy, r, 0, Math.PI * 2);
    ctx.clip();
    if (images.avatar && images.avatar.width > 0) {
      drawCover(ctx, images.avatar, a.x, a.y, a.size, a.size);
    } else {
      ctx.fillStyle = a.placeholderColor;
      ctx.fillRect(a.x, a.y, a.size, a.size);
      const initial = capMarks(graphemes(cleanText(v.displayName))[0]?.toUpperCase() ?? '?', 2);
      ctx.font = cssFont({ family: t.name.font.family, weight: 'bold' }, a.size * 0.45);
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillStyle = 'rgba(255,255,255,0.9)';
      ctx.fillText(initial, cx, cy + a.size * 0.02);
    }
    ctx.restore();
  }

  if (t.name.show) drawText(ctx, v.displayName, t.name);

  const club = t.club;
  if (v.clubName !== null && cleanText(v.clubName) !== '') {
    const icon = club.icon;
    const hasIcon = icon.show && images.clubIcon !== null && images.clubIcon.width > 0;
    if (hasIcon) {
      ctx.save();
      ctx.beginPath();
      ctx.roundRect(icon.x, icon.y, icon.size, icon.size, Math.min(icon.radius, icon.size / 2));
      ctx.clip();
      drawCover(ctx, images.clubIcon!, icon.x, icon.y, icon.size, icon.size);
      ctx.restore();
    }
    if (club.name.show) {
      // Without an icon the name takes the icon's place, so it never floats after an empty gap.
      const shift = !hasIcon && icon.show && club.name.align === 'left' ? Math.max(0, club.name.x - icon.x) : 0;
      drawText(ctx, v.clubName, { ...club.name, x: club.name.x - shift, maxWidth: club.name.maxWidth + shift });
    }
  }

  if (t.level.value.show) drawText(ctx, formatNumber(v.level), t.level.value);
  if (t.rank.value.show) drawText(ctx, v.rank && v.rank > 0 ? `#${formatNumber(v.rank)}` : '—', t.rank.value);

  const b = t.bar;
  if (b.show) {
    const fill = Math.round(progressOf(v.xpInLevel, v.xpNeeded) * b.width);
    if (fill > 0) {
      const radius = Math.min(b.radius, b.height / 2, b.width / 2);
      ctx.save();
      ctx.beginPath();
      ctx.roundRect(b.x, b.y, b.width, b.height, radius);
      ctx.clip();
      const g = ctx.createLinearGradient(b.x, 0, b.x + b.width, 0);
      g.addColorStop(0, b.fillFrom);
      g.addColorStop(1, b.fillTo);
      ctx.fillStyle = g;
      ctx.beginPath();
      ctx.roundRect(b.x, b.y, fill, b.height, Math.min(radius, fill / 2));
      ctx.fill();
      ctx.restore();
    }
  }

  if (t.xpText.show) {
    const text = fillFormat(t.xpText.format, { current: formatNumber(v.xpInLevel), needed: formatNumber(v.xpNeeded) });
    drawText(ctx, text, t.xpText);
  }
  if (t.total.show) drawText(ctx, fillFormat(t.total.format, { total: formatNumber(v.totalXp) }), t.total);
}
