/**
 * The `curve preview` chart: one line per curve over the same axes (today's and the proposed one), with a soft fill
 * under each, dots on the points when there are few, and the last value of each line written at its end.
 */
import type { PaintResult } from '../painter.js';
import { drawText } from '../draw.js';
import { cssFont } from '../fonts.js';
import { ChartBackdrops, compactNumber, drawAxisLabels, finishChart, seriesColours, startChart, textStyle } from './frame.js';
import type { CurveChart } from './context.js';

export function paintCurveChart(c: CurveChart, backdrops: ChartBackdrops = new ChartBackdrops()): PaintResult {
  const t = c.template;
  const colours = seriesColours(t);
  const all = c.series.flatMap((s) => s.values);
  const { canvas, g, plot } = startChart(
    t,
    { title: c.title, subtitle: c.subtitle, legend: c.series.map((s, i) => ({ name: s.name, colour: colours[i]! })), yLabel: c.yLabel },
    { min: Math.min(0, ...all), max: Math.max(0, ...all) },
    true,
    backdrops,
  );
  const n = c.labels.length;
  // One point: in the middle. Otherwise from the plot's left edge to its right edge.
  const xOf = (i: number) => (n === 1 ? plot.x + plot.width / 2 : plot.x + (i / (n - 1)) * plot.width);

  c.series.forEach((s, i) => {
    const colour = colours[i]!;
    g.save();
    g.beginPath();
    s.values.forEach((v, k) => (k === 0 ? g.moveTo(xOf(k), plot.yOf(v)) : g.lineTo(xOf(k), plot.yOf(v))));
    g.lineTo(xOf(n - 1), plot.yOf(0));
    g.lineTo(xOf(0), plot.yOf(0));
    g.closePath();
    g.globalAlpha = 0.1;
    g.fillStyle = colour;
    g.fill();
    g.restore();

    g.beginPath();
    s.values.forEach((v, k) => (k === 0 ? g.moveTo(xOf(k), plot.yOf(v)) : g.lineTo(xOf(k), plot.yOf(v))));
    g.lineWidth = 2.5;
    g.lineJoin = 'round';
    g.lineCap = 'round';
    g.strokeStyle = colour;
    g.stroke();
    if (n <= 40) {
      g.fillStyle = colour;
      for (let k = 0; k < n; k++) {
        g.beginPath();
        g.arc(xOf(k), plot.yOf(s.values[k]!), n === 1 ? 4 : 2.5, 0, Math.PI * 2);
        g.fill();
      }
    }
  });

  // Last values at the right end, one above the other if they would collide.
  const ends = c.series
    .map((s, i) => ({ y: plot.yOf(s.values[n - 1]!), text: compactNumber(s.values[n - 1]!), colour: colours[i]! }))
    .sort((a, b) => a.y - b.y);
  let lastY = -Infinity;
  for (const e of ends) {
    const y = Math.max(e.y - 6, lastY + 13, plot.y + 4);
    lastY = y;
    drawText(g, e.text, textStyle(t, { x: xOf(n - 1) - 6, y, maxWidth: 80, size: 11, color: e.colour, bold: true, align: 'right', shadow: true }));
  }

  // Every k-th label, k a round step (1, 2, 5, 10, …) wide enough for the widest label; the last one always.
  g.font = cssFont({ family: t.name.font.family, weight: 'normal' }, 11);
  const widest = Math.max(...c.labels.map((l) => g.measureText(l).width));
  const spacing = n > 1 ? plot.width / (n - 1) : plot.width;
  const step = [1, 2, 5, 10, 20, 25, 50, 100, 200].find((k) => k * spacing >= widest + 12) ?? n;
  const shown = c.labels.flatMap((text, i) => (i % step === 0 || i === n - 1 ? [{ x: xOf(i), text }] : []));
  drawAxisLabels(g, t, plot, shown, c.xLabel);
  return finishChart(canvas);
}
