/**
 * The `level history` chart: one bar per UTC day, its sources stacked (gains up from zero, losses down), the
 * member's level-ups marked with a diamond and "Lv N" at the top of their day, the window's total on the right.
 * An empty window draws its axes and says so in the plot; a one-day window draws one bar of normal width in the middle.
 */
import type { PaintResult } from '../painter.js';
import { drawText } from '../draw.js';
import { formatNumber } from '../format.js';
import { ChartBackdrops, diamond, drawAxisLabels, finishChart, seriesColours, startChart, textStyle } from './frame.js';
import { cssFont } from '../fonts.js';
import type { HistoryChart } from './context.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MARKER = '#ffffff';
/** Widest bar, chart pixels: a week or a single day keeps bars of a normal width instead of blocks. */
const MAX_BAR = 26;

const parts = (day: string) => ({ year: Number(day.slice(0, 4)), month: Number(day.slice(5, 7)), date: Number(day.slice(8, 10)) });
const shortDay = (day: string) => `${parts(day).date} ${MONTHS[parts(day).month - 1]}`;

export function paintHistoryChart(c: HistoryChart, backdrops: ChartBackdrops = new ChartBackdrops()): PaintResult {
  const t = c.template;
  const n = c.days.length;
  const colours = seriesColours(t);
  const up = new Array<number>(n).fill(0);
  const down = new Array<number>(n).fill(0);
  let total = 0;
  for (const s of c.series) {
    s.values.forEach((v, i) => {
      if (v > 0) up[i]! += v;
      else down[i]! += v;
      total += v;
    });
  }
  const empty = up.every((v) => v === 0) && down.every((v) => v === 0);
  const dayIndex = new Map(c.days.map((d, i) => [d, i]));
  const levelUps = c.levelUps.filter((l) => dayIndex.has(l.date)).sort((a, b) => a.date.localeCompare(b.date) || a.level - b.level);

  const { canvas, g, plot } = startChart(
    t,
    {
      title: c.title,
      subtitle: c.subtitle,
      headline: { value: `${formatNumber(total)} XP`, caption: n === 1 ? `on ${shortDay(c.days[0]!)}` : `in ${n} days` },
      legend: [...c.series.map((s, i) => ({ name: s.name, colour: colours[i]! })), ...(levelUps.length ? [{ name: 'Level up', colour: MARKER, shape: 'diamond' as const }] : [])],
      yLabel: 'XP per day',
    },
    // An empty window still gets a readable scale rather than 0–4; with level-up marks, room above the tallest bar.
    empty ? { min: 0, max: 100 } : { min: Math.min(0, ...down), max: Math.max(0, ...up) * (levelUps.length ? 1.15 : 1) },
    false,
    backdrops,
  );

  const slot = plot.width / n;
  const barWidth = Math.min(MAX_BAR, Math.max(1 / t.scale, slot * (n > 60 ? 0.8 : 0.66)));
  const xOf = (i: number) => plot.x + slot * (i + 0.5);

  // Level-up lines go behind the bars; their diamonds and labels on top (below).
  g.fillStyle = 'rgba(255,255,255,0.28)';
  for (const l of levelUps) {
    const x = xOf(dayIndex.get(l.date)!);
    for (let y = plot.y + 8; y < plot.y + plot.height; y += 6) g.fillRect(x - 0.5 / t.scale, y, 1 / t.scale, 3);
  }

  for (let i = 0; i < n; i++) {
    if (up[i] === 0 && down[i] === 0) continue;
    const x = xOf(i) - barWidth / 2;
    const radius = barWidth >= 6 ? Math.min(3, barWidth / 3) : 0;
    // Clip the day's stack to one shape rounded away from zero, then paint each source's segment in it.
    g.save();
    g.beginPath();
    if (up[i]! > 0) g.roundRect(x, plot.yOf(up[i]!), barWidth, plot.yOf(0) - plot.yOf(up[i]!), [radius, radius, 0, 0]);
    if (down[i]! < 0) g.roundRect(x, plot.yOf(0), barWidth, plot.yOf(down[i]!) - plot.yOf(0), [0, 0, radius, radius]);
    g.clip();
    let above = 0;
    let below = 0;
    c.series.forEach((s, k) => {
      const v = s.values[i]!;
      if (v === 0) return;
      const from = v > 0 ? above : below;
      const to = from + v;
      if (v > 0) above = to;
      else below = to;
      g.fillStyle = colours[k]!;
      g.fillRect(x, Math.min(plot.yOf(from), plot.yOf(to)), barWidth, Math.abs(plot.yOf(to) - plot.yOf(from)));
    });
    g.restore();
  }

  if (empty) {
    const message = n === 1 ? 'No XP on this day' : `No XP in these ${n} days`;
    drawText(g, message, textStyle(t, { x: plot.x + plot.width / 2, y: plot.y + plot.height / 2, maxWidth: plot.width - 20, size: 15, color: t.total.color, align: 'center', bold: true }));
  }

  // Level-ups: a diamond at the top of the day, "Lv N" beside it when there is room (on its left near the right edge).
  g.font = cssFont({ family: t.name.font.family, weight: 'bold' }, 10);
  let labelEnd = -Infinity;
  for (const l of levelUps) {
    const x = xOf(dayIndex.get(l.date)!);
    g.fillStyle = MARKER;
    g.beginPath();
    diamond(g, x, plot.y + 4, 5);
    g.fill();
    const text = `Lv ${formatNumber(l.level)}`;
    const w = g.measureText(text).width;
    const left = x + 8 + w <= plot.x + plot.width ? x + 8 : x - 8 - w;
    if (left > labelEnd + 6) {
      drawText(g, text, textStyle(t, { x: left, y: plot.y + 8, maxWidth: w + 2, size: 10, color: MARKER, bold: true, shadow: true }));
      labelEnd = left + w;
    }
  }

  drawAxisLabels(g, t, plot, dayLabels(c.days).map(({ index, text }) => ({ x: xOf(index), text })), null);
  return finishChart(canvas);
}

/**
 * Which days get a label under the axis: every day, every 2nd, weekly or fortnightly counted back from the last day
 * (so today is always labelled) for up to 120 days; past that the first of each month ("Jan" shows the year).
 */
function dayLabels(days: readonly string[]): Array<{ index: number; text: string }> {
  const n = days.length;
  if (n === 1) {
    const p = parts(days[0]!);
    return [{ index: 0, text: `${p.date} ${MONTHS[p.month - 1]} ${p.year}` }];
  }
  if (n > 120) {
    return days.flatMap((d, index) => {
      const p = parts(d);
      return p.date === 1 ? [{ index, text: p.month === 1 ? String(p.year) : MONTHS[p.month - 1]! }] : [];
    });
  }
  const step = n <= 8 ? 1 : n <= 16 ? 2 : n <= 45 ? 7 : 14;
  const out: Array<{ index: number; text: string }> = [];
  for (let i = n - 1; i >= 0; i -= step) out.unshift({ index: i, text: shortDay(days[i]!) });
  return out;
}
