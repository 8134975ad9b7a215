import { describe, expect, it } from 'vitest';
import { ImageCache, smallDiscordImageUrl } from '../../src/net/image-cache.js';
import { SafeFetcher, type FetchedImage } from '../../src/net/safe-fetch.js';
import { SafeFetchError } from '../../src/net/errors.js';
import { CardPainter } from '../../src/cards/painter.js';
import { defaultCardTemplate } from '../../src/cards/template.js';

function fakeFetcher(sizes: Record<string, number>) {
  const calls: string[] = [];
  return {
    calls,
    async fetchImage(url: string | URL): Promise<FetchedImage> {
      calls.push(String(url));
      await new Promise((r) => setTimeout(r, 5));
      const size = sizes[String(url)];
      if (size === undefined) throw new SafeFetchError('status', { status: 404 });
      return { bytes: new Uint8Array(size), type: 'png', width: 1, height: 1, frames: 1, url: String(url) };
    },
  };
}

describe('ImageCache', () => {
  it('given the same URL twice, at once and later, then it is fetched once', async () => {
    const f = fakeFetcher({ 'https://a/x.png': 10 });
    const cache = new ImageCache(f);
    const [a, b] = await Promise.all([cache.get('https://a/x.png'), cache.get('https://a/x.png')]);
    expect(a).toBe(b);
    expect(await cache.get('https://a/x.png')).toBe(a);
    expect(f.calls).toHaveLength(1);
  });

  it('given a failing URL, then it answers null and does not try again for a while', async () => {
    const f = fakeFetcher({});
    const cache = new ImageCache(f);
    expect(await cache.get('https://a/broken.png')).toBeNull();
    expect(await cache.get('https://a/broken.png')).toBeNull();
    expect(f.calls).toHaveLength(1);
    expect(await cache.get(null)).toBeNull();
  });

  it('given more images than its byte budget, then the least recently used leave', async () => {
    const f = fakeFetcher({ 'https://a/1': 60, 'https://a/2': 60 });
    const cache = new ImageCache(f, { maxBytes: 100 });
    await cache.get('https://a/1');
    await cache.get('https://a/2');
    expect(cache.size).toBeLessThanOrEqual(100);
    await cache.get('https://a/1');
    expect(f.calls).toEqual(['https://a/1', 'https://a/2', 'https://a/1']);
  });

  it('given a Discord CDN avatar, then it is asked for at 128 px as PNG', () => {
    expect(smallDiscordImageUrl('https://cdn.discordapp.com/avatars/1/a_abc.gif?size=1024')).toBe('https://cdn.discordapp.com/avatars/1/a_abc.png?size=128');
    expect(smallDiscordImageUrl('https://example.com/a.webp')).toBe('https://example.com/a.webp');
  });

  it('given images that cannot be fetched safely, then the card still renders with placeholders', async () => {
    const cache = new ImageCache(new SafeFetcher({ timeoutMs: 500 }));
    const [avatar, clubIcon, background] = await Promise.all([
      cache.get('http://127.0.0.1/avatar.png'),
      cache.get('file:///etc/passwd'),
      cache.get('http://10.0.0.5/bg.gif'),
    ]);
    expect([avatar, clubIcon, background]).toEqual([null, null, null]);
    const out = new CardPainter().paint({
      displayName: 'Placeholder',
      avatar,
      clubIcon,
      background,
      backgroundKey: null,
      clubName: 'Still shown',
      level: 1,
      rank: 1,
      xpInLevel: 1,
      xpNeeded: 45,
      totalXp: 37,
      template: defaultCardTemplate,
    });
    expect(out.format).toBe('png');
    expect(out.bytes.length).toBeGreaterThan(1000);
  });
});
