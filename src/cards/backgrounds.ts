/**
 * BackgroundSource: turns a shop item's background reference into the bytes and cache key a CardContext needs.
 * A reference is either a file the owner listed in xp_config.yml (e.g. `assets/backgrounds/default.png`, relative to
 * `baseDir`) or an http(s) URL, which goes through the ImageCache (and so SafeFetcher). Any other scheme (file:,
 * data:, …) is refused: a URL never reads a local file. A reference that cannot be loaded gives null (the card uses
 * the template's gradient), never an error.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { LRUCache } from 'lru-cache';
import type { ImageCache } from '../net/image-cache.js';
import { sniffImageType } from '../net/image-info.js';
import { silentLogger, type Logger } from '../util/logger.js';

export interface BackgroundSourceOptions {
  /** Directory that relative file references are resolved against. Default: the process's working directory. */
  baseDir: string;
  /** Largest background file read from disk. Default 16 MiB. */
  maxFileBytes: number;
  /** Bytes of file backgrounds kept in memory. Default 64 MiB. */
  cacheBytes: number;
  logger: Logger;
}

export const DEFAULT_BACKGROUND_SOURCE_OPTIONS: Readonly<BackgroundSourceOptions> = {
  baseDir: process.cwd(),
  maxFileBytes: 16 * 1024 * 1024,
  cacheBytes: 64 * 1024 * 1024,
  logger: silentLogger,
};

export interface LoadedBackground {
  bytes: Uint8Array;
  /** For CardContext.backgroundKey: changes when the file changes (its mtime is part of it). */
  key: string;
}

export class BackgroundSource {
  private readonly options: BackgroundSourceOptions;
  private readonly files: LRUCache<string, LoadedBackground>;

  constructor(
    private readonly images: Pick<ImageCache, 'get'>,
    options: Partial<BackgroundSourceOptions> = {},
  ) {
    this.options = { ...DEFAULT_BACKGROUND_SOURCE_OPTIONS, ...options };
    this.files = new LRUCache<string, LoadedBackground>({ maxSize: this.options.cacheBytes, sizeCalculation: (b) => Math.max(1, b.bytes.byteLength) });
  }

  /** Bytes and key for a reference; null for none, a refused scheme, or anything that fails. */
  async load(ref: string | null | undefined): Promise<LoadedBackground | null> {
    if (!ref) return null;
    if (/^https?:\/\//i.test(ref)) {
      const bytes = await this.images.get(ref);
      return bytes ? { bytes, key: ref } : null;
    }
    if (/^[a-z][a-z0-9+.-]*:/i.test(ref) && !/^[a-z]:[\\/]/i.test(ref)) {
      this.options.logger.warn({ ref }, 'background reference refused: only files and http(s) URLs are allowed');
      return null;
    }
    const file = path.resolve(this.options.baseDir, ref);
    try {
      const info = await stat(file);
      if (!info.isFile() || info.size > this.options.maxFileBytes) throw new Error(`not a file of at most ${this.options.maxFileBytes} bytes`);
      const key = `file:${file}:${info.mtimeMs}:${info.size}`;
      const hit = this.files.get(key);
      if (hit) return hit;
      const bytes = new Uint8Array(await readFile(file));
      if (!sniffImageType(bytes)) throw new Error('not a PNG, JPEG, GIF or WebP image');
      const loaded = { bytes, key };
      this.files.set(key, loaded);
      return loaded;
    } catch (err) {
      this.options.logger.warn({ ref, err: err instanceof Error ? err.message : String(err) }, 'background could not be loaded; using the template gradient');
      return null;
    }
  }
}
