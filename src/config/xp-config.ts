/**
 * `xp_config.yml`: the shop's backgrounds, the currency's name and emoji, and the XP card template (DESIGN §6).
 * Validated once, at the boundary, with zod; every problem is reported with its field path and its line in the file.
 * A broken file at start stops the bot; `xpshop reload` on a broken file keeps the running config (`XpConfigHolder`).
 *
 * Backgrounds' `url`/`preview` are either http(s) URLs (fetched later through the SSRF-safe fetcher) or paths
 * relative to the config file's folder (the project root), such as `assets/backgrounds/aurora.gif`; a local path
 * must stay inside that folder once symlinks are resolved, and the file must be a PNG, JPEG, WebP or GIF within the
 * limits of fetched images. Card font paths follow the same folder rule. No `file:` URLs, no absolute paths. Every
 * file is read asynchronously (loading and `xpshop reload` run while the bot serves).
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load as loadYaml, YAMLException } from 'js-yaml';
import { z } from 'zod';
import { cardTemplateSchema, defaultCardTemplate, type CardTemplate } from '../cards/template.js';
import { YamlPositions, type FieldPath } from './yaml-positions.js';
import { checkLocalFont, LocalFileError, readLocalImage } from './local-files.js';

/** The project root (where `xp_config.yml` and `assets/` ship). */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DEFAULT_XP_CONFIG_PATH = resolve(PROJECT_ROOT, 'xp_config.yml');

/** Where an image comes from: a file shipped with the bot, or a remote URL (fetch it with the SafeFetcher). */
export type ImageSource = { kind: 'file'; path: string; ref: string; root: string } | { kind: 'url'; url: string; ref: string };

export interface ShopBackground {
  key: string;
  name: string;
  /** Price in currency; 0 = free, −1 = no longer sold (owners keep using it). */
  price: number;
  image: ImageSource;
  /** Shown in the shop; defaults to `image`. */
  preview: ImageSource;
  desc: string | null;
  /** Not listed and not buyable, but can be given and equipped. */
  hidden: boolean;
}

export interface XpConfig {
  currency: { name: string; emoji: string };
  shop: { bgs: ReadonlyMap<string, ShopBackground> };
  card: CardTemplate;
  /** Where the file was read from (null for the built-in default). */
  source: string | null;
}

/** The key of the background everyone has without buying it (no database row). */
export const DEFAULT_BACKGROUND_KEY = 'default';

const KEY_RE = /^[a-z0-9][a-z0-9_-]{0,31}$/;
const imageRef = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(2000)
  .refine((s) => /^https?:\/\//i.test(s) || !/^[a-z][a-z0-9+.-]*:/i.test(s), 'must be an http(s) URL or a path relative to the project folder (like assets/backgrounds/aurora.gif)');

const backgroundSchema = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters'),
    price: z
      .number({ error: 'must be a whole number (0 = free, -1 = no longer sold)' })
      .int('must be a whole number (0 = free, -1 = no longer sold)')
      .min(-1, 'must be 0 or more, or -1 for "no longer sold"')
      .max(1_000_000_000_000, 'must be at most 1000000000000'),
    url: imageRef,
    desc: z.string().max(500, 'must be at most 500 characters').optional(),
    preview: imageRef.optional(),
    hidden: z.boolean({ error: 'must be true or false' }).default(false),
  })
  .strict();

export const xpConfigSchema = z
  .object({
    currency: z
      .object({
        name: z.string().trim().min(1, 'must not be empty').max(40, 'must be at most 40 characters').default('Unicorn Coins'),
        emoji: z.string().trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters').default('🦄'),
      })
      .strict()
      .prefault({}),
    shop: z
      .object({
        bgs: z.record(z.string(), backgroundSchema, { error: 'must be a map of background keys to backgrounds' }).default({}),
      })
      .strict()
      .prefault({}),
    card: cardTemplateSchema.optional(),
  })
  .strict();

export interface ConfigIssue {
  /** Dotted field path, e.g. "shop.bgs.aurora.price" ('' for the whole file). */
  path: string;
  /** 1-based line in the file, when known. */
  line: number | null;
  message: string;
}

/** A config file that cannot be used. `message` lists every problem as "line N, path: message". */
export class XpConfigError extends Error {
  readonly code = 'invalid_xp_config';
  constructor(
    readonly file: string,
    readonly issues: readonly ConfigIssue[],
    options?: { cause?: unknown },
  ) {
    super(`${file} is not valid:\n${issues.map((i) => `  ${formatIssue(i)}`).join('\n')}`, options);
    this.name = 'XpConfigError';
  }
}

export function formatIssue(i: ConfigIssue): string {
  const where = [i.line !== null ? `line ${i.line}` : null, i.path || null].filter(Boolean).join(', ');
  return where ? `${where}: ${i.message}` : i.message;
}

export interface ParseOptions {
  /** Name shown in messages. Default "xp_config.yml". */
  filename?: string;
  /** Folder that relative image paths are resolved against (and must stay inside). Default the project root. */
  root?: string;
}

/** Parses and validates the text of an xp_config.yml and the files it names. Throws XpConfigError (with lines). */
export async function parseXpConfig(text: string, options: ParseOptions = {}): Promise<XpConfig> {
  const filename = options.filename ?? 'xp_config.yml';
  const root = options.root ?? PROJECT_ROOT;
  let raw: unknown;
  try {
    raw = loadYaml(text, { filename });
  } catch (error) {
    if (error instanceof YAMLException) {
      throw new XpConfigError(filename, [{ path: '', line: error.mark ? error.mark.line + 1 : null, message: `not valid YAML: ${error.reason}` }], { cause: error });
    }
    throw error;
  }
  if (raw === undefined || raw === null) raw = {};
  const positions = YamlPositions.of(text);
  const at = (path: FieldPath, message: string): ConfigIssue => ({ path: path.map(String).join('.'), line: positions.lineOf(path), message });
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new XpConfigError(filename, [at([], 'the file must be a mapping of sections (currency, shop, card)')]);

  const parsed = xpConfigSchema.safeParse(raw, { error: (iss) => (iss.input === undefined ? 'is required' : undefined) });
  if (!parsed.success) {
    const issues = parsed.error.issues.flatMap((issue): ConfigIssue[] => {
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((k) => at([...issue.path, k] as FieldPath, `unknown field "${k}"${hint(issue.path as FieldPath)}`));
      }
      return [at(issue.path as FieldPath, issue.message)];
    });
    throw new XpConfigError(filename, issues, { cause: parsed.error });
  }

  const data = parsed.data;
  const issues: ConfigIssue[] = [];
  const bgs = new Map<string, ShopBackground>();
  for (const [key, bg] of Object.entries(data.shop.bgs)) {
    const path = ['shop', 'bgs', key];
    if (!KEY_RE.test(key)) {
      issues.push(at(path, `"${key}" is not a valid key: use 1–32 lowercase letters, digits, - or _ (it is what people type in \`xpshop buy <key>\`)`));
      continue;
    }
    const image = await imageSource(bg.url, root, [...path, 'url'], at, issues);
    const preview = bg.preview === undefined ? image : await imageSource(bg.preview, root, [...path, 'preview'], at, issues);
    if (!image || !preview) continue;
    bgs.set(key, { key, name: bg.name, price: bg.price, image, preview, desc: bg.desc ?? null, hidden: bg.hidden });
  }
  const def = bgs.get(DEFAULT_BACKGROUND_KEY);
  if (!def && issues.length === 0) issues.push(at(['shop', 'bgs'], `a "${DEFAULT_BACKGROUND_KEY}" background is required: it is the one everyone has`));
  if (def && def.price !== 0) issues.push(at(['shop', 'bgs', DEFAULT_BACKGROUND_KEY, 'price'], `the "${DEFAULT_BACKGROUND_KEY}" background must be free (price: 0)`));
  if (def?.hidden) issues.push(at(['shop', 'bgs', DEFAULT_BACKGROUND_KEY, 'hidden'], `the "${DEFAULT_BACKGROUND_KEY}" background cannot be hidden`));
  const card = data.card ?? defaultCardTemplate;
  const fonts: CardTemplate['fonts'] = [];
  for (const [i, font] of card.fonts.entries()) {
    const rel = insideRelative(font.path);
    if (rel === null) {
      issues.push(at(['card', 'fonts', i, 'path'], `"${font.path}" must be a path inside the project folder (like assets/fonts/MyFont.ttf), not an absolute path or one going up with ..`));
      continue;
    }
    try {
      fonts.push({ family: font.family, path: await checkLocalFont(root, rel) });
    } catch (error) {
      if (!(error instanceof LocalFileError)) throw error;
      issues.push(at(['card', 'fonts', i, 'path'], error.message));
    }
  }
  if (issues.length > 0) throw new XpConfigError(filename, issues);

  return { currency: data.currency, shop: { bgs }, card: fonts.length ? { ...card, fonts } : card, source: null };
}

function hint(parent: FieldPath): string {
  if (parent.length === 0) return ' (the sections are currency, shop and card)';
  if (parent.length === 3 && parent[0] === 'shop' && parent[1] === 'bgs') return ' (a background has name, price, url, desc, preview, hidden)';
  return '';
}

/** The path normalised, or null when it is absolute or goes up out of the folder (checked again after symlinks). */
function insideRelative(ref: string): string | null {
  const rel = normalize(ref);
  return isAbsolute(ref) || rel === '..' || rel.startsWith('..' + sep) ? null : rel;
}

async function imageSource(ref: string, root: string, path: FieldPath, at: (p: FieldPath, m: string) => ConfigIssue, issues: ConfigIssue[]): Promise<ImageSource | null> {
  if (/^https?:\/\//i.test(ref)) {
    try {
      return { kind: 'url', url: new URL(ref).href, ref };
    } catch {
      issues.push(at(path, `"${ref}" is not a valid URL`));
      return null;
    }
  }
  const rel = insideRelative(ref);
  if (rel === null) {
    issues.push(at(path, `"${ref}" must be a path inside the project folder (like assets/backgrounds/aurora.gif), not an absolute path or one going up with ..`));
    return null;
  }
  try {
    // Symlinks resolved before the folder rule; the bytes checked like a fetched image (they go into public replies).
    const image = await readLocalImage(root, rel);
    return { kind: 'file', path: image.path, ref, root };
  } catch (error) {
    if (!(error instanceof LocalFileError)) throw error;
    issues.push(at(path, error.message));
    return null;
  }
}

/** Reads and validates a config file; the file's folder is the root for relative image paths. Throws XpConfigError. */
export async function loadXpConfig(path: string): Promise<XpConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : `cannot read it (${(error as Error).message})`;
    throw new XpConfigError(basename(path), [{ path: '', line: null, message: `${reason}: ${path}` }], { cause: error });
  }
  const config = await parseXpConfig(text, { filename: basename(path), root: dirname(resolve(path)) });
  return { ...config, source: resolve(path) };
}

/** The built-in config, used when no file is given (tests, tools): the shipped default background only. */
export function builtinXpConfig(): XpConfig {
  const ref = 'assets/backgrounds/default.png';
  const image: ImageSource = { kind: 'file', path: resolve(PROJECT_ROOT, ref), ref, root: PROJECT_ROOT };
  const def: ShopBackground = { key: DEFAULT_BACKGROUND_KEY, name: 'Default', price: 0, image, preview: image, desc: null, hidden: false };
  return { currency: xpConfigSchema.parse({}).currency, shop: { bgs: new Map([[def.key, def]]) }, card: defaultCardTemplate, source: null };
}

export type ReloadResult = { ok: true; config: XpConfig } | { ok: false; error: XpConfigError };

/** The running config. `reload()` swaps in a good file at once and keeps the running one on a broken file. */
export class XpConfigHolder {
  private config: XpConfig;

  constructor(
    config: XpConfig,
    /** The file `reload()` reads; null = nothing to reload. */
    readonly path: string | null = config.source,
  ) {
    this.config = config;
  }

  /** Loads the file at start; throws XpConfigError when it is broken. */
  static async load(path: string): Promise<XpConfigHolder> {
    return new XpConfigHolder(await loadXpConfig(path), resolve(path));
  }

  get current(): XpConfig {
    return this.config;
  }

  async reload(): Promise<ReloadResult> {
    if (!this.path) return { ok: false, error: new XpConfigError('(built-in)', [{ path: '', line: null, message: 'this bot runs with the built-in config: there is no file to reload' }]) };
    try {
      this.config = await loadXpConfig(this.path);
      return { ok: true, config: this.config };
    } catch (error) {
      if (error instanceof XpConfigError) return { ok: false, error };
      throw error;
    }
  }
}
