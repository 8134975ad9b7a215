import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BackgroundSource } from '../../src/cards/backgrounds.js';

const root = new URL('../../', import.meta.url).pathname;

function images(known: Record<string, Uint8Array> = {}) {
  const asked: string[] = [];
  return {
    asked,
    async get(url: string | null | undefined) {
      asked.push(String(url));
      return (url && known[url]) || null;
    },
  };
}

describe('BackgroundSource', () => {
  it('given a bundled file path, then its bytes come back with a key that names the file', async () => {
    const src = new BackgroundSource(images(), { baseDir: root });
    const bg = await src.load('assets/backgrounds/default.png');
    expect(bg?.bytes[1]).toBe(0x50); // 'P' of PNG
    expect(bg?.key).toMatch(/^file:.*default\.png:/);
    expect(await src.load('assets/backgrounds/default.png')).toBe(bg);
  });

  it('given an http(s) URL, then it goes through the image cache', async () => {
    const bytes = new Uint8Array([0x89, 0x50]);
    const cache = images({ 'https://cdn.example.com/bg.gif': bytes });
    const src = new BackgroundSource(cache);
    expect(await src.load('https://cdn.example.com/bg.gif')).toEqual({ bytes, key: 'https://cdn.example.com/bg.gif' });
  });

  it('given a file: or data: URL, then nothing is read', async () => {
    const cache = images();
    const src = new BackgroundSource(cache, { baseDir: root });
    expect(await src.load('file:///etc/passwd')).toBeNull();
    expect(await src.load('data:image/png;base64,iVBORw0KGgo=')).toBeNull();
    expect(cache.asked).toEqual([]);
  });

  it('given a missing file or one that is not an image, then null', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bg-'));
    writeFileSync(path.join(dir, 'notes.txt'), 'hello');
    const src = new BackgroundSource(images(), { baseDir: dir });
    expect(await src.load('missing.png')).toBeNull();
    expect(await src.load('notes.txt')).toBeNull();
    expect(await src.load(null)).toBeNull();
  });
});
