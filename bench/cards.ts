/**
 * Card rendering benchmarks (issue 4 item 8; at the default 2× pixel density since issue 10 item 8), through the real
 * worker pool:
 * - card.static_p50_ms: a still card (1000×490 image) on the photographic default background, median time inside a
 *   warm worker (draw on the cached static layer + PNG encode), values changing every render;
 * - card.static_per_s: cards per second with a pool of 2 workers kept busy;
 * - card.gif20_ms / card.gif20_bytes: the 20-frame aurora.gif card, median warm time and its size;
 * - card.history_chart_p50_ms (issue 11 item 6): a 30-day `level history` chart (messages, voice, event bonus,
 *   level-ups), median time inside a warm worker over 100 renders of different data.
 * It also checks the encoder choice: our PNG against Skia's on the same card (time, bytes, identical pixels).
 */
import { readFileSync } from 'node:fs';
import { createCanvas, Image } from '@napi-rs/canvas';
import { median, round, type BenchSuite, type Metric } from './harness.js';
import { CardRenderer } from '../src/cards/renderer.js';
import { CardPainter } from '../src/cards/painter.js';
import { defaultCardTemplate } from '../src/cards/template.js';
import type { CardContext } from '../src/cards/context.js';
import { encodePng } from '../src/cards/png.js';
import { sampleHistoryChart } from '../src/cards/charts/samples.js';

const asset = (name: string) => readFileSync(new URL(`../assets/backgrounds/${name}`, import.meta.url));

function avatar(): Buffer {
  const c = createCanvas(128, 128);
  const g = c.getContext('2d');
  const grad = g.createRadialGradient(50, 40, 5, 64, 64, 90);
  grad.addColorStop(0, '#ffd1dc');
  grad.addColorStop(1, '#6a3d9a');
  g.fillStyle = grad;
  g.fillRect(0, 0, 128, 128);
  return c.encodeSync('png');
}

function ctx(i: number, background: Buffer, key: string, av: Buffer): CardContext {
  return {
    displayName: `Ünïcörn 🦄 猫 ☆ #${i}`,
    avatar: av,
    level: 40 + (i % 50),
    rank: 1 + i,
    xpInLevel: (i * 37) % 400,
    xpNeeded: 405,
    totalXp: 9_876 + i,
    clubName: 'Rainbow Riders 🌈',
    clubIcon: av,
    background,
    backgroundKey: key,
    template: defaultCardTemplate,
  };
}

/** Our encoder against Skia's on one finished card: same pixels, how much faster, how big. */
function encoderCheck(log: (line: string) => void, background: Buffer, av: Buffer): void {
  const card = new CardPainter().paint(ctx(1, background, 'default', av));
  const img = new Image();
  img.src = card.bytes;
  const canvas = createCanvas(img.width, img.height);
  const g = canvas.getContext('2d');
  g.drawImage(img, 0, 0);
  const pixels = g.getImageData(0, 0, img.width, img.height).data;
  const time = (fn: () => Buffer) => {
    const t: number[] = [];
    let out = fn();
    for (let i = 0; i < 20; i++) {
      const s = performance.now();
      out = fn();
      t.push(performance.now() - s);
    }
    return { ms: median(t), bytes: out.length, out };
  };
  const ours = time(() => encodePng(pixels, img.width, img.height));
  const skia = time(() => canvas.encodeSync('png'));
  const back = new Image();
  back.src = ours.out;
  const check = createCanvas(back.width, back.height);
  check.getContext('2d').drawImage(back, 0, 0);
  const again = check.getContext('2d').getImageData(0, 0, back.width, back.height).data;
  const identical = again.length === pixels.length && again.every((v, i) => v === pixels[i]);
  log(`PNG encode of one ${img.width}×${img.height} card: ours ${round(ours.ms)} ms / ${ours.bytes} B, Skia ${round(skia.ms)} ms / ${skia.bytes} B; lossless round trip identical: ${identical}`);
}

export const cardsSuite: BenchSuite = {
  name: 'cards',
  async run(log) {
    const still = asset('default.png');
    const gif = asset('aurora.gif');
    const av = avatar();
    encoderCheck(log, still, av);

    // Warm single worker: static p50.
    const one = new CardRenderer({ size: 1, maxQueue: 10_000 });
    const staticTimes: number[] = [];
    const gifTimes: number[] = [];
    let gifBytes = 0;
    try {
      const cold = await one.render(ctx(0, still, 'default', av));
      log(`static card cold (fonts, decode, static layer): ${round(cold.ms)} ms`);
      for (let i = 0; i < 30; i++) await one.render(ctx(i, still, 'default', av));
      for (let i = 0; i < 200; i++) staticTimes.push((await one.render(ctx(i, still, 'default', av))).ms);
      // The same card at scale 1 (the layout's own 500×245 pixels), interleaved with scale 2 so both see the same load:
      // what the default 2× density costs.
      const oneX = { ...defaultCardTemplate, scale: 1 };
      await one.render({ ...ctx(0, still, 'default', av), template: oneX });
      const at1: number[] = [];
      const at2: number[] = [];
      for (let i = 0; i < 60; i++) {
        at1.push((await one.render({ ...ctx(i, still, 'default', av), template: oneX })).ms);
        at2.push((await one.render(ctx(i, still, 'default', av))).ms);
      }
      log(`static p50 at scale 1: ${round(median(at1))} ms, at scale 2: ${round(median(at2))} ms (interleaved, same load)`);

      const gifCold = await one.render(ctx(0, gif, 'aurora', av));
      log(`20-frame GIF card cold (decode + scale frames): ${round(gifCold.ms)} ms`);
      for (let i = 0; i < 7; i++) {
        const r = await one.render(ctx(i, gif, 'aurora', av));
        gifTimes.push(r.ms);
        gifBytes = r.bytes.length;
        if (r.frames !== 20) throw new Error(`expected 20 frames, got ${r.frames}`);
      }
      // The GIF at scale 1 and 2 interleaved, as for the still card.
      await one.render({ ...ctx(0, gif, 'aurora', av), template: oneX });
      const gif1: number[] = [];
      const gif2: number[] = [];
      for (let i = 0; i < 5; i++) {
        gif1.push((await one.render({ ...ctx(i, gif, 'aurora', av), template: oneX })).ms);
        gif2.push((await one.render(ctx(i, gif, 'aurora', av))).ms);
      }
      log(`gif20 median at scale 1: ${round(median(gif1))} ms, at scale 2: ${round(median(gif2))} ms (interleaved, same load)`);
    } finally {
      await one.close();
    }
    log(`static: p50 ${round(median(staticTimes))} ms, min ${round(Math.min(...staticTimes))}, max ${round(Math.max(...staticTimes))} (200 renders)`);
    log(`gif20: median ${round(median(gifTimes))} ms over ${gifTimes.length}, ${gifBytes} bytes`);

    // Throughput with 2 workers.
    const two = new CardRenderer({ size: 2, maxQueue: 10_000 });
    let perSecond = 0;
    try {
      await Promise.all(Array.from({ length: 20 }, (_, i) => two.render(ctx(i, still, 'default', av))));
      const n = 600;
      const started = performance.now();
      await Promise.all(Array.from({ length: n }, (_, i) => two.render(ctx(i, still, 'default', av))));
      perSecond = n / ((performance.now() - started) / 1000);
      // Batches of 100 at scale 1 and scale 2, alternating, so the ratio is measured under the same load.
      const oneX = { ...defaultCardTemplate, scale: 1 };
      const rate = async (template: typeof defaultCardTemplate) => {
        const t0 = performance.now();
        await Promise.all(Array.from({ length: 100 }, (_, i) => two.render({ ...ctx(i, still, 'default', av), template })));
        return 100 / ((performance.now() - t0) / 1000);
      };
      await rate(oneX);
      const r1: number[] = [];
      const r2: number[] = [];
      for (let k = 0; k < 3; k++) {
        r1.push(await rate(oneX));
        r2.push(await rate(defaultCardTemplate));
      }
      log(`pool of 2 in alternating batches: ${round(median(r1), 1)} cards/s at scale 1, ${round(median(r2), 1)} at scale 2`);
    } finally {
      await two.close();
    }
    log(`pool of 2: ${round(perSecond, 1)} cards/s`);

    // History charts (issue 11 item 6): warm worker, a different member's data every render.
    const chartTimes: number[] = [];
    const charts = new CardRenderer({ size: 1, maxQueue: 10_000 });
    try {
      const chart = (days: number, seed: number) => sampleHistoryChart({ days, sample: 'busy', name: `Ünïcörn 🦄 #${seed}`, end: new Date(Date.UTC(2026, 10, 26)), template: defaultCardTemplate, seed });
      const cold = await charts.renderHistoryChart(chart(30, 0));
      log(`history chart cold: ${round(cold.ms)} ms, ${cold.bytes.length} bytes (${cold.width}×${cold.height})`);
      for (let i = 0; i < 20; i++) await charts.renderHistoryChart(chart(30, i));
      for (let i = 0; i < 100; i++) chartTimes.push((await charts.renderHistoryChart(chart(30, i))).ms);
      const year: number[] = [];
      for (let i = 0; i < 20; i++) year.push((await charts.renderHistoryChart(chart(365, i))).ms);
      log(`history chart 30 days: p50 ${round(median(chartTimes))} ms (min ${round(Math.min(...chartTimes))}); 365 days: p50 ${round(median(year))} ms`);
    } finally {
      await charts.close();
    }

    const metrics: Metric[] = [
      { name: 'card.static_p50_ms', unit: 'ms', value: round(median(staticTimes)) },
      { name: 'card.static_per_s', unit: 'cards/s', value: round(perSecond, 1) },
      { name: 'card.gif20_ms', unit: 'ms', value: round(median(gifTimes)) },
      { name: 'card.gif20_bytes', unit: 'bytes', value: gifBytes },
      { name: 'card.history_chart_p50_ms', unit: 'ms', value: round(median(chartTimes)) },
    ];
    return metrics;
  },
};
