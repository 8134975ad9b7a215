/**
 * What every chart shares, drawn with the card template's fonts and colours: the card's background and panel, a
 * title with an optional headline figure on the right, a legend, a value axis with round ticks and grid lines, and
 * labels under the plot that never overlap. Coordinates are chart pixels (CHART_WIDTH × CHART_HEIGHT); the image is
 * drawn at the template's scale, like the card.
 */
import { createCanvas, type Canvas, type SKRSContext2D } from '@napi-rs/canvas';
import { LRUCache } from 'lru-cache';
import type { CardTemplate, TextStyle } from '../template.js';
import { drawBackground, drawPanel, drawText } from '../draw.js';
import { cssFont } from '../fonts.js';
import { encodePng } from '../png.js';
import type { PaintResult } from '../painter.js';

export const CHART_WIDTH = 640;
export const CHART_HEIGHT = 360;

const PAD = 28;
const RIGHT = CHART_WIDTH - PAD;

/** The plot's rectangle, in chart pixels, and the value range its height shows. */
export interface Plot {
  x: number;
  y: number;
  width: number;
  height: number;
  min: number;
  max: number;
  /** The y of a value. */
  yOf(value: number): number;
}

export interface ChartHead {
  title: string;
  subtitle: string | null;
  /** A figure shown big on the right (e.g. "1,234 XP") with a caption under it. */
  headline?: { value: string; caption: string } | null;
  legend: ReadonlyArray<{ name: string; colour: string; shape?: 'square' | 'diamond' }>;
  /** What the values are; written above the value axis. */
  yLabel: string;
}

/** Series colours: the bar's two colours first (so charts match the card), then a fixed set that reads on the panel. */
export function seriesColours(t: CardTemplate): string[] {
  return [t.bar.fillFrom, t.bar.fillTo, '#ffd166', '#ff7eb6', '#7ee787', '#f78c6c'];
}

/** A line of text in the template's font family. */
export function textStyle(t: CardTemplate, s: { x: number; y: number; maxWidth: number; size: number; color: string; bold?: boolean; align?: TextStyle['align']; shadow?: boolean }): TextStyle {
  return {
    show: true,
    x: s.x,
    y: s.y,
    maxWidth: s.maxWidth,
    align: s.align ?? 'left',
    color: s.color,
    font: { family: t.name.font.family, size: s.size, minSize: Math.min(s.size, Math.max(9, s.size * 0.75)), weight: s.bold ? 'bold' : 'normal' },
    shadow: s.shadow ?? false,
  };
}

/** Round tick values covering [min, max] (min ≤ 0 ≤ max), about `count` steps of 1, 2, 2.5 or 5 × 10ⁿ (at least 1). */
export function niceTicks(min: number, max: number, count = 4): number[] {
  if (!(max > min)) max = min + count;
  const raw = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = Math.max(1, (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10) * mag);
  const lo = Math.floor(min / step) * step;
  const hi = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let v = lo; v <= hi + step / 2; v += step) ticks.push(Math.round(v * 100) / 100);
  return ticks;
}

/** 950 → "950", 1 234 → "1.2k", 45 000 → "45k", 1 200 000 → "1.2M"; negative numbers with a minus sign. */
export function compactNumber(n: number): string {
  const a = Math.abs(n);
  const sign = n < 0 ? '−' : '';
  const fmt = (v: number, unit: string) => `${sign}${v >= 100 ? Math.round(v) : Math.round(v * 10) / 10}${unit}`;
  if (a >= 1e9) return fmt(a / 1e9, 'B');
  if (a >= 1e6) return fmt(a / 1e6, 'M');
  if (a >= 1e3) return fmt(a / 1e3, 'k');
  return `${sign}${Math.round(a * 10) / 10}`;
}

/**
 * The template's background gradient drawn small and scaled up: as smooth, but without the dithering noise Skia adds
 * to a gradient filled at full size, which made a chart's PNG about 4× bigger (~700 KB instead of ~230 KB).
 */
function smoothGradient(t: CardTemplate): Canvas {
  const w = 32;
  const h = Math.round((w * CHART_HEIGHT) / CHART_WIDTH);
  const small = createCanvas(w, h);
  const g = small.getContext('2d');
  const gradient = g.createLinearGradient(0, 0, w, h);
  gradient.addColorStop(0, t.background.colorFrom);
  gradient.addColorStop(1, t.background.colorTo);
  g.fillStyle = gradient;
  g.fillRect(0, 0, w, h);
  return small;
}

/**
 * The chart's background and panel per template (they do not depend on the data), kept for the few templates in use:
 * a render copies it instead of filling, clipping and washing the whole image again.
 */
export class ChartBackdrops {
  private readonly cache = new LRUCache<string, Canvas>({ max: 8 });

  get(t: CardTemplate): Canvas {
    const key = JSON.stringify([t.scale, t.cornerRadius, t.background, t.panel]);
    let canvas = this.cache.get(key);
    if (!canvas) {
      canvas = createCanvas(Math.round(CHART_WIDTH * t.scale), Math.round(CHART_HEIGHT * t.scale));
      const g = canvas.getContext('2d');
      g.scale(t.scale, t.scale);
      drawBackground(g, { ...t, width: CHART_WIDTH, height: CHART_HEIGHT }, smoothGradient(t));
      drawPanel(g, t.panel, { x: 12, y: 12, width: CHART_WIDTH - 24, height: CHART_HEIGHT - 24 });
      this.cache.set(key, canvas);
    }
    return canvas;
  }
}

/** A diamond path centred on (x, y), `r` from the centre to each point (call fill() after). */
export function diamond(g: SKRSContext2D, x: number, y: number, r: number): void {
  g.moveTo(x, y - r);
  g.lineTo(x + r, y);
  g.lineTo(x, y + r);
  g.lineTo(x - r, y);
  g.closePath();
}

/**
 * Draw the chart's frame (background, panel, title, headline, legend, value axis and grid) and return the canvas
 * with the plot rectangle for the chart's own marks. The value range is [min, max] widened to round ticks. The plot
 * reaches lower when there is no axis title under it.
 */
export function startChart(
  t: CardTemplate,
  head: ChartHead,
  range: { min: number; max: number },
  withAxisTitle: boolean,
  backdrops: ChartBackdrops,
): { canvas: Canvas; g: SKRSContext2D; plot: Plot } {
  const backdrop = backdrops.get(t);
  const canvas = createCanvas(backdrop.width, backdrop.height);
  const g = canvas.getContext('2d');
  g.drawImage(backdrop, 0, 0);
  g.scale(t.scale, t.scale);

  const labelColour = t.level.label.color;
  const softColour = t.total.color;
  const headlineWidth = head.headline ? 200 : 0;
  drawText(g, head.title, textStyle(t, { x: PAD, y: 46, maxWidth: RIGHT - PAD - headlineWidth - 12, size: 20, color: t.name.color, bold: true, shadow: true }));
  if (head.subtitle) drawText(g, head.subtitle, textStyle(t, { x: PAD, y: 66, maxWidth: RIGHT - PAD - headlineWidth - 12, size: 12, color: softColour }));
  if (head.headline) {
    drawText(g, head.headline.value, textStyle(t, { x: RIGHT, y: 46, maxWidth: headlineWidth, size: 20, color: t.level.value.color, bold: true, align: 'right', shadow: true }));
    drawText(g, head.headline.caption, textStyle(t, { x: RIGHT, y: 66, maxWidth: headlineWidth, size: 12, color: softColour, align: 'right' }));
  }

  // Legend: a swatch and a name per series, on one line.
  let x = PAD;
  for (const item of head.legend) {
    if (x > RIGHT - 40) break;
    g.fillStyle = item.colour;
    g.beginPath();
    if (item.shape === 'diamond') diamond(g, x + 5.5, 87.5, 6);
    else g.roundRect(x, 82, 11, 11, 3);
    g.fill();
    const w = drawText(g, item.name, textStyle(t, { x: x + 16, y: 92, maxWidth: Math.min(160, RIGHT - x - 16), size: 12, color: softColour }));
    x += 16 + w + 18;
  }

  // Value axis: round ticks, labels right-aligned against the plot, one grid line per tick (zero brighter).
  const ticks = niceTicks(Math.min(0, range.min), Math.max(0, range.max));
  const min = ticks[0]!;
  const max = ticks[ticks.length - 1]!;
  g.font = cssFont({ family: t.name.font.family, weight: 'normal' }, 11);
  const labels = ticks.map(compactNumber);
  const labelWidth = Math.max(...labels.map((l) => g.measureText(l).width));
  const plotX = PAD + Math.ceil(labelWidth) + 8;
  const top = 124;
  const bottom = withAxisTitle ? 296 : 310;
  const plot: Plot = {
    x: plotX,
    y: top,
    width: RIGHT - plotX,
    height: bottom - top,
    min,
    max,
    yOf: (v) => bottom - ((v - min) / (max - min)) * (bottom - top),
  };
  drawText(g, head.yLabel, textStyle(t, { x: PAD, y: top - 10, maxWidth: RIGHT - PAD, size: 11, color: labelColour, bold: true }));
  ticks.forEach((v, i) => {
    const y = Math.round(plot.yOf(v) * t.scale) / t.scale + 0.5 / t.scale; // on a pixel row: crisp 1-pixel lines
    g.fillStyle = v === 0 ? 'rgba(255,255,255,0.35)' : 'rgba(255,255,255,0.09)';
    g.fillRect(plot.x, y - 0.5 / t.scale, plot.width, v === 0 ? 1.5 / t.scale : 1 / t.scale);
    drawText(g, labels[i]!, textStyle(t, { x: plot.x - 8, y: y + 4, maxWidth: labelWidth + 2, size: 11, color: softColour, align: 'right' }));
  });
  return { canvas, g, plot };
}

/**
 * Labels under the plot, centred on their x, left to right; a label that would touch the previous one is skipped,
 * except that the last one is kept in place of the one before it (so the axis always ends labelled).
 */
export function drawAxisLabels(g: SKRSContext2D, t: CardTemplate, plot: Plot, labels: ReadonlyArray<{ x: number; text: string }>, axisTitle: string | null): void {
  g.font = cssFont({ family: t.name.font.family, weight: 'normal' }, 11);
  const placed: Array<{ x: number; text: string; left: number; right: number }> = [];
  const box = (l: { x: number; text: string }) => {
    const w = g.measureText(l.text).width;
    const left = Math.max(PAD, Math.min(RIGHT - w, l.x - w / 2));
    return { ...l, left, right: left + w };
  };
  for (const l of labels) {
    const b = box(l);
    const prev = placed[placed.length - 1];
    if (!prev || b.left >= prev.right + 10) placed.push(b);
    else if (l === labels[labels.length - 1] && placed.length > 1) {
      placed.pop();
      const before = placed[placed.length - 1];
      if (!before || b.left >= before.right + 10) placed.push(b);
    }
  }
  const y = plot.y + plot.height + 16;
  for (const p of placed) drawText(g, p.text, textStyle(t, { x: p.left, y, maxWidth: p.right - p.left + 2, size: 11, color: t.total.color }));
  if (axisTitle) drawText(g, axisTitle, textStyle(t, { x: RIGHT, y: y + 18, maxWidth: 200, size: 11, color: t.level.label.color, bold: true, align: 'right' }));
}

/** Encode the finished chart. */
export function finishChart(canvas: Canvas): PaintResult {
  const { width, height } = canvas;
  const pixels = canvas.getContext('2d').getImageData(0, 0, width, height).data;
  return { bytes: encodePng(pixels, width, height), format: 'png', width, height, frames: 1, accent: null };
}
