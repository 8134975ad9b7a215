/**
 * Files the config points at (shop backgrounds and previews, card fonts): a path relative to the config's folder must
 * stay inside that folder once every symlink is resolved (a link to /etc/passwd or to the database is outside, or is
 * not an image), images must pass the same checks as fetched ones, and every read is asynchronous so a slow disk
 * never stalls the bot (DESIGN §6).
 */
import { open, readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { checkImage, DEFAULT_IMAGE_LIMITS, type ImageLimits } from '../net/image-check.js';
import type { ImageInfo } from '../net/image-info.js';

/** A file that cannot be used; the message says why in words an owner understands. */
export class LocalFileError extends Error {
  override name = 'LocalFileError';
}

/** The real path of `ref` (relative to `root`), which must be a file inside the real `root`. */
export async function realFileInside(root: string, ref: string): Promise<string> {
  let realRoot: string;
  let real: string;
  try {
    realRoot = await realpath(root);
    real = await realpath(resolve(root, ref));
  } catch {
    throw new LocalFileError(`the file "${ref}" does not exist (paths are relative to ${root})`);
  }
  const rel = relative(realRoot, real);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    throw new LocalFileError(`"${ref}" leads outside the project folder (${realRoot}) once links are followed`);
  }
  if (!(await stat(real)).isFile()) throw new LocalFileError(`"${ref}" is not a file`);
  return real;
}

export interface LocalImage {
  bytes: Uint8Array;
  info: ImageInfo;
  /** The real path. */
  path: string;
  /** Changes when the file changes (for caches). */
  version: string;
}

/** Reads an image file inside `root` and checks it like a fetched image. Throws LocalFileError. */
export async function readLocalImage(root: string, ref: string, limits: ImageLimits = DEFAULT_IMAGE_LIMITS): Promise<LocalImage> {
  const path = await realFileInside(root, ref);
  const s = await stat(path);
  if (s.size > limits.maxBytes) throw new LocalFileError(`"${ref}" is larger than ${limits.maxBytes} bytes`);
  const bytes = new Uint8Array(await readFile(path));
  try {
    return { bytes, info: checkImage(bytes, limits), path, version: `${s.mtimeMs}:${s.size}` };
  } catch (error) {
    throw new LocalFileError(`"${ref}": ${(error as Error).message}`);
  }
}

const FONT_MAGIC = ['\x00\x01\x00\x00', 'OTTO', 'true', 'ttcf', 'wOFF', 'wOF2'];

/** Checks a font file inside `root` (TrueType, OpenType, a collection, WOFF); returns its real path. */
export async function checkLocalFont(root: string, ref: string, maxBytes = 64 * 1024 * 1024): Promise<string> {
  const path = await realFileInside(root, ref);
  const s = await stat(path);
  if (s.size > maxBytes) throw new LocalFileError(`"${ref}" is larger than ${maxBytes} bytes`);
  const file = await open(path, 'r');
  const head = Buffer.alloc(4);
  try {
    await file.read(head, 0, 4, 0);
  } finally {
    await file.close();
  }
  if (!FONT_MAGIC.includes(head.toString('latin1'))) throw new LocalFileError(`"${ref}" is not a TrueType, OpenType or WOFF font`);
  return path;
}
