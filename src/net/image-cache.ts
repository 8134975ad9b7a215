/**
 * ImageCache: fetched images kept in memory, bounded by bytes, in front of SafeFetcher. A failed image is `null`
 * (the card draws a placeholder), never an error; failures are remembered for a short while so a broken URL is not
 * fetched again for every card. Concurrent requests for one URL share one fetch.
 */
import { LRUCache } from 'lru-cache';
import type { SafeFetcher } from './safe-fetch.js';
import { silentLogger, type Logger } from '../util/logger.js';

export interface ImageCacheOptions {
  /** Bytes of images kept. Default 64 MiB. */
  maxBytes: number;
  /** How long a fetched image is reused. Default 30 minutes. */
  ttlMs: number;
  /** How long a failed URL answers null without trying again. Default 60 s. */
  failureTtlMs: number;
  logger: Logger;
}

export const DEFAULT_IMAGE_CACHE_OPTIONS: Readonly<ImageCacheOptions> = {
  maxBytes: 64 * 1024 * 1024,
  ttlMs: 30 * 60_000,
  failureTtlMs: 60_000,
  logger: silentLogger,
};

export class ImageCache {
  private readonly options: ImageCacheOptions;
  private readonly images: LRUCache<string, Uint8Array>;
  private readonly failures: LRUCache<string, true>;
  private readonly inflight = new Map<string, Promise<Uint8Array | null>>();

  constructor(
    private readonly fetcher: Pick<SafeFetcher, 'fetchImage'>,
    options: Partial<ImageCacheOptions> = {},
  ) {
    this.options = { ...DEFAULT_IMAGE_CACHE_OPTIONS, ...options };
    this.images = new LRUCache<string, Uint8Array>({
      maxSize: this.options.maxBytes,
      sizeCalculation: (bytes) => Math.max(1, bytes.byteLength),
      ttl: this.options.ttlMs,
    });
    this.failures = new LRUCache<string, true>({ max: 10_000, ttl: this.options.failureTtlMs });
  }

  /** The image's bytes, or null when there is no URL or it cannot be fetched safely. Never rejects. */
  async get(url: string | null | undefined): Promise<Uint8Array | null> {
    if (!url) return null;
    const hit = this.images.get(url);
    if (hit) return hit;
    if (this.failures.has(url)) return null;
    let pending = this.inflight.get(url);
    if (!pending) {
      pending = this.load(url).finally(() => this.inflight.delete(url));
      this.inflight.set(url, pending);
    }
    return pending;
  }

  /** Bytes currently held. */
  get size(): number {
    return this.images.calculatedSize;
  }

  private async load(url: string): Promise<Uint8Array | null> {
    try {
      const image = await this.fetcher.fetchImage(url);
      this.images.set(url, image.bytes);
      return image.bytes;
    } catch (err) {
      this.failures.set(url, true);
      this.options.logger.warn({ url, err: err instanceof Error ? err.message : String(err) }, 'image fetch failed; using a placeholder');
      return null;
    }
  }
}

/**
 * A Discord CDN avatar/icon URL at a small size (128 px is plenty for a 112 px circle). Other URLs are returned as
 * they are. Animated avatars (a_ hashes) are asked for as PNG: the card shows the first frame only.
 */
export function smallDiscordImageUrl(url: string, size = 128): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  if (u.hostname !== 'cdn.discordapp.com' && u.hostname !== 'media.discordapp.net') return url;
  u.searchParams.set('size', String(size));
  u.pathname = u.pathname.replace(/\.(gif|webp|jpe?g)$/i, '.png');
  return u.href;
}
