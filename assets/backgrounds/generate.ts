/**
 * Regenerates the bundled card backgrounds procedurally (no third-party artwork, so no licence questions):
 *   node --import tsx assets/backgrounds/generate.ts
 * - default.png: a dusky gradient with soft bokeh lights and film grain (grain on purpose: it is a realistic
 *   "photographic" worst case for the card's PNG encoder and the benchmark).
 * - aurora.gif: 20 frames of drifting aurora and twinkling stars, with frame delays that differ (6–14 cs) so the
 *   renderer's "each frame keeps its own delay" is visible and testable.
 * Output is deterministic (seeded PRNG).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createCanvas } from '@napi-rs/canvas';
import * as gifenc from '../../src/cards/gifenc.js';
import { mulberry32 } from '../../src/util/prng.js';

const dir = fileURLToPath(new URL('./', import.meta.url));

function defaultBackground(): Buffer {
  const w = 1000;
  const h = 490;
  const rnd = mulberry32(7);
  const c = createCanvas(w, h);
  const g = c.getContext('2d');
  const sky = g.createLinearGradient(0, 0, w, h);
  sky.addColorStop(0, '#1b0b3a');
  sky.addColorStop(0.45, '#5b2a86');
  sky.addColorStop(0.75, '#c0507a');
  sky.addColorStop(1, '#f4a259');
  g.fillStyle = sky;
  g.fillRect(0, 0, w, h);
  for (let i = 0; i < 70; i++) {
    const x = rnd() * w;
    const y = rnd() * h;
    const r = 8 + rnd() ** 2 * 90;
    const hue = 280 + rnd() * 100;
    const grad = g.createRadialGradient(x, y, 0, x, y, r);
    grad.addColorStop(0, `hsla(${hue % 360}, 90%, 75%, ${0.25 + rnd() * 0.25})`);
    grad.addColorStop(0.7, `hsla(${hue % 360}, 90%, 70%, ${0.08 + rnd() * 0.1})`);
    grad.addColorStop(1, `hsla(${hue % 360}, 90%, 70%, 0)`);
    g.fillStyle = grad;
    g.beginPath();
    g.arc(x, y, r, 0, Math.PI * 2);
    g.fill();
  }
  const img = g.getImageData(0, 0, w, h);
  const d = img.data;
  for (let i = 0; i < d.length; i += 4) {
    const n = (rnd() - 0.5) * 18;
    d[i] = d[i]! + n;
    d[i + 1] = d[i + 1]! + n;
    d[i + 2] = d[i + 2]! + n;
  }
  g.putImageData(img, 0, 0);
  return c.encodeSync('png');
}

function auroraGif(): Buffer {
  const w = 500;
  const h = 245;
  const frames = 20;
  const rnd = mulberry32(42);
  const stars = Array.from({ length: 90 }, () => ({ x: rnd() * w, y: rnd() * h * 0.8, r: 0.6 + rnd() * 1.4, p: rnd() * Math.PI * 2 }));
  const enc = gifenc.GIFEncoder();
  const c = createCanvas(w, h);
  const g = c.getContext('2d');
  for (let f = 0; f < frames; f++) {
    const t = f / frames;
    const sky = g.createLinearGradient(0, 0, 0, h);
    sky.addColorStop(0, '#020817');
    sky.addColorStop(1, '#0b2545');
    g.fillStyle = sky;
    g.fillRect(0, 0, w, h);
    for (const s of stars) {
      const a = 0.35 + 0.65 * Math.abs(Math.sin(s.p + t * Math.PI * 2));
      g.fillStyle = `rgba(255,255,255,${a.toFixed(3)})`;
      g.beginPath();
      g.arc(s.x, s.y, s.r, 0, Math.PI * 2);
      g.fill();
    }
    for (let band = 0; band < 3; band++) {
      const hue = [150, 175, 290][band]!;
      g.beginPath();
      g.moveTo(0, h);
      for (let x = 0; x <= w; x += 10) {
        const y = h * (0.45 + band * 0.1) + Math.sin(x / 60 + t * Math.PI * 2 + band * 1.7) * 22 + Math.sin(x / 23 - t * Math.PI * 4) * 6;
        g.lineTo(x, y);
      }
      g.lineTo(w, h);
      g.closePath();
      const grad = g.createLinearGradient(0, h * 0.3, 0, h);
      grad.addColorStop(0, `hsla(${hue}, 85%, 60%, 0.55)`);
      grad.addColorStop(1, `hsla(${hue}, 85%, 40%, 0)`);
      g.fillStyle = grad;
      g.fill();
    }
    const rgba = g.getImageData(0, 0, w, h).data;
    const palette = gifenc.quantize(rgba, 256);
    const index = gifenc.applyPalette(rgba, palette);
    // Delays differ per frame on purpose: 60, 80, 100, 120, 140 ms, repeating.
    enc.writeFrame(index, w, h, { palette, delay: (6 + (f % 5) * 2) * 10, repeat: 0 });
  }
  enc.finish();
  return Buffer.from(enc.bytesView());
}

writeFileSync(`${dir}default.png`, defaultBackground());
writeFileSync(`${dir}aurora.gif`, auroraGif());
console.log('wrote default.png and aurora.gif');
