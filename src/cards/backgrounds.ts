/**
 * BackgroundSource: turns a shop item's background reference into the bytes and cache key a CardContext needs.
 * A reference is either a file the owner listed in xp_config.yml (e.g. `assets/backgrounds/default.png`, inside
 * `root`: the config's folder, `baseDir` by default) or an http(s) URL, which goes through the ImageCache (and so
 * SafeFetcher). Files are read again under the same rules as at config load (the real path inside the folder, an
 * image within the fetched-image limits), since a file can change after it was checked. Any other scheme (file:,
 * data:, …) is refused: a URL never reads a local file. A reference that cannot be loaded gives null (the card uses
 * the template's gradient), never an error.
 */
import { LRUCache } from 'lru-cache';
import type { ImageCache } from '../net/image-cache.js';
import { readLocalImage } from '../config/local-files.js';
import { silentLogger, type Logger } from '../util/logger.js';

export interface BackgroundSourceOptions {
  /** Directory that relative file references are resolved against. Default: the process's working directory. */
  baseDir: string;
  /** Bytes of file backgrounds kept in memory. Default 64 MiB. */
  cacheBytes: number;
  logger: Logger;
}

export const DEFAULT_BACKGROUND_SOURCE_OPTIONS: Readonly<BackgroundSourceOptions> = {
  baseDir: process.cwd(),
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

  /** Bytes and key for a reference (files inside `root`); null for none, a refused scheme, or anything that fails. */
  async load(ref: string | null | undefined, root = this.options.baseDir): Promise<LoadedBackground | null> {
    if (!ref) return null;
    if (/^https?:\/\//i.test(ref)) {
      const bytes = await this.images.get(ref);
      return bytes ? { bytes, key: ref } : null;
    }
    if (/^[a-z][a-z0-9+.-]*:/i.test(ref) && !/^[a-z]:[\\/]/i.test(ref)) {
      this.options.logger.warn({ ref }, 'background reference refused: only files and http(s) URLs are allowed');
      return null;
    }
    try {
      const image = await readLocalImage(root, ref);
      const key = `file:${image.path}:${image.version}`;
      const hit = this.files.get(key);
      if (hit) return hit;
      const loaded = { bytes: image.bytes, key };
      this.files.set(key, loaded);
      return loaded;
    } catch (err) {
      this.options.logger.warn({ ref, err: err instanceof Error ? err.message : String(err) }, 'background could not be loaded; using the template gradient');
      return null;
    }
  }
}
