import { describe, expect, it } from 'vitest';
import { CardPainter } from '../../src/cards/painter.js';
import { CardRenderer } from '../../src/cards/renderer.js';
import { CardRenderError } from '../../src/cards/errors.js';
import { curveChartSchema, historyChartSchema, type CurveChartContext, type HistoryChartContext } from '../../src/cards/charts/context.js';
import { paintCurveChart } from '../../src/cards/charts/curve.js';
import { paintHistoryChart } from '../../src/cards/charts/history.js';
import { dayWindow } from '../../src/cards/charts/samples.js';
import { compactNumber, niceTicks } from '../../src/cards/charts/frame.js';
import { defaultCardTemplate } from '../../src/cards/template.js';
import { decode, near, type Pixels } from './helpers.js';

new CardPainter(); // registers the bundled fonts in this thread

const PURPLE = [0x8b, 0x5c, 0xf6]; // the template's bar colours: the first two series
const CYAN = [0x22, 0xd3, 0xee];
const GOLD = [0xff, 0xd1, 0x66];

const history = (c: Partial<HistoryChartContext> & { days: string[] }) =>
  decode(paintHistoryChart(historyChartSchema.parse({ title: 'Member', subtitle: null, series: [{ name: 'Messages', values: c.days.map(() => 0) }], template: defaultCardTemplate, ...c })).bytes, 2);
const curve = (c: Partial<CurveChartContext>) =>
  decode(
    paintCurveChart(
      curveChartSchema.parse({
        title: 'Curve',
        yLabel: 'XP',
        labels: ['0', '1', '2', '3', '4'],
        series: [
          { name: 'Today', values: [36, 45, 54, 63, 72] },
          { name: 'Proposed', values: [100, 155, 220, 295, 380] },
        ],
        template: defaultCardTemplate,
        ...c,
      }),
    ).bytes,
    2,
  );

/** Image pixels of one colour inside the plot band (below the legend, above the axis labels). */
function pixelsOf(px: Pixels, colour: number[], tol = 10): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let y = 110 * 2; y < 320 * 2; y++) for (let x = 0; x < px.width; x++) if (near(px.atPx(x, y), colour, tol)) out.push([x, y]);
  return out;
}

/** Runs of columns (image pixels) on row y whose pixel matches. */
function runs(px: Pixels, y: number, match: (p: number[]) => boolean): Array<{ from: number; to: number }> {
  const out: Array<{ from: number; to: number }> = [];
  for (let x = 0; x < px.width; x++) {
    if (!match(px.atPx(x, y))) continue;
    const last = out[out.length - 1];
    if (last && last.to === x - 1) last.to = x;
    else out.push({ from: x, to: x });
  }
  return out;
}

/** The zero line's image row: the row where a light grey line crosses the whole plot. */
function zeroRow(px: Pixels): number {
  let best = 0;
  let bestY = 0;
  for (let y = 200; y < 320 * 2; y++) {
    let lit = 0;
    for (let x = 300; x < 1100; x += 4) {
      const [r, g, b] = px.atPx(x, y);
      if (Math.abs(r - g) < 16 && Math.abs(g - b) < 24 && r > 60) lit++;
    }
    if (lit > best) {
      best = lit;
      bestY = y;
    }
  }
  return bestY;
}

describe('axis helpers', () => {
  it('given ranges, then ticks are round steps covering them, never finer than 1', () => {
    expect(niceTicks(0, 59)).toEqual([0, 20, 40, 60]);
    expect(niceTicks(0, 400)).toEqual([0, 100, 200, 300, 400]);
    expect(niceTicks(-20, 30)).toEqual([-20, 0, 20, 40]);
    expect(niceTicks(0, 3)).toEqual([0, 1, 2, 3]);
    expect(niceTicks(0, 15_100)).toEqual([0, 5000, 10000, 15000, 20000]);
  });

  it('given numbers, then they are written short', () => {
    expect([0, 950, 1234, 45_000, 1_200_000, -20].map(compactNumber)).toEqual(['0', '950', '1.2k', '45k', '1.2M', '−20']);
  });
});

describe('curve chart', () => {
  it('given two curves, then both lines are drawn in their colours, the larger one above, and the legend shows both', () => {
    const px = curve({});
    expect([px.width, px.height]).toEqual([1280, 720]); // 640 × 360 at the template's scale 2
    const purple = pixelsOf(px, PURPLE, 14);
    const cyan = pixelsOf(px, CYAN, 14);
    expect(purple.length).toBeGreaterThan(500);
    expect(cyan.length).toBeGreaterThan(500);
    // At the right end (last 10 % of the width) the proposed (bigger) curve is higher on the image.
    const rightmost = (pts: Array<[number, number]>) => pts.filter(([x, y]) => x > px.width * 0.8 && y > 240);
    const meanY = (pts: Array<[number, number]>) => pts.reduce((s, [, y]) => s + y, 0) / pts.length;
    expect(meanY(rightmost(cyan))).toBeLessThan(meanY(rightmost(purple)) - 40);
    // Legend swatches on the legend row.
    for (const colour of [PURPLE, CYAN]) expect(runs(px, 87 * 2, (p) => near(p, colour, 8)).length).toBeGreaterThan(0);
  });

  it('given series of the wrong length or not finite, then the renderer refuses it naming the field', async () => {
    const r = new CardRenderer({ size: 1 });
    try {
      const bad = { title: 'x', yLabel: 'XP', labels: ['0', '1'], series: [{ name: 'a', values: [1] }], template: defaultCardTemplate };
      const err = await r.renderCurveChart(bad).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CardRenderError);
      expect((err as CardRenderError).message).toMatch(/series\.0\.values: has 1 values for 2 labels/);
      const nan = await r.renderCurveChart({ ...bad, series: [{ name: 'a', values: [1, Number.NaN] }] }).catch((e: unknown) => e);
      expect((nan as CardRenderError).message).toMatch(/series\.0\.values\.1: /);
    } finally {
      await r.close();
    }
  });
});

describe('history chart', () => {
  const days = dayWindow(new Date(Date.UTC(2026, 10, 26)), 30);

  it('given messages and voice on a day, then its bar stacks them in proportion, message below voice', () => {
    const msg = days.map((_, i) => (i === 10 ? 200 : 0));
    const voice = days.map((_, i) => (i === 10 ? 100 : 0));
    const px = history({ days, series: [{ name: 'Messages', values: msg }, { name: 'Voice', values: voice }] });
    const purple = pixelsOf(px, PURPLE);
    const cyan = pixelsOf(px, CYAN);
    const column = (pts: Array<[number, number]>) => ({ top: Math.min(...pts.map(([, y]) => y)), bottom: Math.max(...pts.map(([, y]) => y)) });
    // The legend swatches are above the plot band; take the bar's pixels only (below y 240).
    const p = column(purple.filter(([, y]) => y > 240));
    const c = column(cyan.filter(([, y]) => y > 240));
    expect(c.bottom).toBeLessThanOrEqual(p.top + 1); // voice on top of messages
    const hp = p.bottom - p.top;
    const hc = c.bottom - c.top;
    expect(hp / hc).toBeGreaterThan(1.8);
    expect(hp / hc).toBeLessThan(2.2);
  });

  it('given 365 days, then every day with XP is its own bar', () => {
    const year = dayWindow(new Date(Date.UTC(2026, 10, 26)), 365);
    const values = year.map((_, i) => (i % 3 === 0 ? 50 + (i % 7) * 10 : 0));
    const px = history({ days: year, series: [{ name: 'Messages', values }] });
    const y = zeroRow(px) - 6; // just above the axis: every bar crosses it
    expect(runs(px, y, (p) => near(p, PURPLE, 30)).length).toBe(values.filter((v) => v > 0).length);
  });

  it('given level-ups, then each is marked with a white diamond at the top of its day, and one outside the window is not', () => {
    const values = days.map(() => 40);
    const withMarks = history({ days, series: [{ name: 'Messages', values }], levelUps: [{ date: days[5]!, level: 3 }, { date: days[20]!, level: 4 }, { date: '2020-01-01', level: 1 }] });
    const without = history({ days, series: [{ name: 'Messages', values }] });
    const white = (px: Pixels) => pixelsOf(px, [255, 255, 255], 6).filter(([, y]) => y > 236 && y < 270).length;
    expect(white(without)).toBe(0);
    expect(white(withMarks)).toBeGreaterThan(100);
    // Diamonds sit over the 6th and 21st bars: two clusters of white, the second further right.
    const xs = pixelsOf(withMarks, [255, 255, 255], 6)
      .filter(([, y]) => y > 244 && y < 262)
      .map(([x]) => x);
    const bars = runs(withMarks, zeroRow(withMarks) - 6, (p) => near(p, PURPLE, 30));
    const centre = (b: { from: number; to: number }) => (b.from + b.to) / 2;
    expect(xs.some((x) => Math.abs(x - centre(bars[5]!)) < 4)).toBe(true);
    expect(xs.some((x) => Math.abs(x - centre(bars[20]!)) < 4)).toBe(true);
  });

  it('given an empty window, then no bars, the axes, and a message in the plot', () => {
    const px = history({ days, series: [{ name: 'Messages', values: days.map(() => 0) }, { name: 'Voice', values: days.map(() => 0) }] });
    expect(pixelsOf(px, PURPLE).filter(([, y]) => y > 240).length).toBe(0);
    expect(pixelsOf(px, CYAN).filter(([, y]) => y > 240).length).toBe(0);
    // Light text in the middle of the plot.
    let light = 0;
    for (let y = 380; y < 440; y++) for (let x = 480; x < 880; x++) if (px.atPx(x, y)[0] > 150) light++;
    expect(light).toBeGreaterThan(300);
    expect(zeroRow(px)).toBeGreaterThan(560);
  });

  it('given a one-day window, then one bar of normal width in the middle', () => {
    const px = history({ days: ['2026-11-26'], series: [{ name: 'Messages', values: [42] }] });
    const bars = runs(px, zeroRow(px) - 6, (p) => near(p, PURPLE, 30));
    expect(bars).toHaveLength(1);
    const width = bars[0]!.to - bars[0]!.from + 1;
    expect(width).toBeLessThanOrEqual(26 * 2 + 1);
    expect(width).toBeGreaterThan(30);
    expect(Math.abs((bars[0]!.from + bars[0]!.to) / 2 - px.width * 0.53)).toBeLessThan(px.width * 0.06);
  });

  it('given a loss (decay), then it is drawn below the zero line in its own colour', () => {
    const third = days.map((_, i) => (i > 25 ? -30 : 0));
    const px = history({ days, series: [{ name: 'Messages', values: days.map((_, i) => (i < 5 ? 60 : 0)) }, { name: 'Voice', values: days.map(() => 0) }, { name: 'Decay', values: third }] });
    const zero = zeroRow(px);
    const gold = pixelsOf(px, GOLD).filter(([, y]) => y > 240);
    expect(gold.length).toBeGreaterThan(100);
    expect(Math.min(...gold.map(([, y]) => y))).toBeGreaterThanOrEqual(zero - 1);
    expect(pixelsOf(px, PURPLE).filter(([, y]) => y > 240).every(([, y]) => y <= zero + 1)).toBe(true);
  });

  it('given the real worker pool, then a history chart comes back as a PNG', async () => {
    const r = new CardRenderer({ size: 1 });
    try {
      const out = await r.renderHistoryChart({ title: 'Member', days, series: [{ name: 'Messages', values: days.map((_, i) => i) }], template: defaultCardTemplate });
      expect(out).toMatchObject({ format: 'png', width: 1280, height: 720, frames: 1, accent: null });
      expect(pixelsOf(decode(out.bytes, 2), PURPLE).length).toBeGreaterThan(1000);
    } finally {
      await r.close();
    }
  });
});
