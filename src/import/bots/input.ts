/**
 * Reading an export from disk: one file, or a folder of pages (MEE6's leaderboard comes 1 000 members a page).
 * Everything is read and parsed before anything is written, so a damaged file changes nothing.
 *
 * JSON numbers are doubles: an id written as a bare number above 2^53 (Red's config stores role and channel ids
 * that way) would be rounded by JSON.parse. Such integers are turned into strings before parsing, so every id
 * arrives exactly; only files that contain a 16-digit bare number pay for that pass.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ImportError } from '../errors.js';

const SQLITE_HEADER = 'SQLite format 3\0';

export interface RawFile {
  name: string;
  text: string;
  /** The file starts like an SQLite database (a Nadeko file given to another source). */
  sqlite: boolean;
}

/** The file, or the folder's files with `extension` in natural order (page-2 before page-10). */
export function listInput(path: string, extension: string): string[] {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    throw new ImportError('input_not_found', path);
  }
  if (!isDir) return [path];
  const names = readdirSync(path)
    .filter((n) => n.toLowerCase().endsWith(`.${extension}`))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .map((n) => join(path, n));
  if (names.length === 0) throw new ImportError('not_format', `${path} is a folder without .${extension} files.`);
  return names;
}

export function readRaw(name: string): RawFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(name);
  } catch (err) {
    throw new ImportError('unreadable', name, { cause: err });
  }
  const sqlite = bytes.subarray(0, 16).toString('latin1') === SQLITE_HEADER;
  const text = bytes.toString('utf8');
  return { name, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, sqlite };
}

/** An unquoted integer of 16+ digits in value position: the only numbers JSON.parse might round. */
const MAYBE_BIG = /[[:,]\s*-?\d{16}/;
/** Strings (skipped whole, so digits inside them are never touched) or numbers. */
const TOKEN = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

/** JSON.parse, with integers too big for a double kept exactly as strings; a syntax error becomes `bad_json`. */
export function parseJson(file: RawFile): unknown {
  const text = MAYBE_BIG.test(file.text) ? quoteBigIntegers(file.text) : file.text;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ImportError('bad_json', `${file.name} is not valid JSON (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
}

export function quoteBigIntegers(text: string): string {
  return text.replace(TOKEN, (t) => (t.charCodeAt(0) !== 34 && /^-?\d{16,}$/.test(t) && !Number.isSafeInteger(Number(t)) ? `"${t}"` : t));
}
