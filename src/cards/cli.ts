/**
 * `npm run card -- [options]`: render one card to a file from given values, through the real worker pool, and print
 * how long it took. For looking at the design, trying a template, and timing.
 *
 *   npm run card -- --name "Ünïcörn 🦄 猫 ☆" --xp 123456 --rank 7 --background assets/backgrounds/aurora.gif
 */
import { parseArgs } from 'node:util';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { load as loadYaml } from 'js-yaml';
import { levelStats, CURVE_LIMITS } from '../levels/curve.js';
import { CardRenderer } from './renderer.js';
import { CardTemplateError, defaultCardTemplate, parseCardTemplate, type CardTemplate } from './template.js';
import { loadXpConfig } from '../config/xp-config.js';
import { readLocalImage } from '../config/local-files.js';
import { SafeFetcher } from '../net/safe-fetch.js';
import { exitAfterFlush } from '../util/exit.js';

const HELP = `Render an XP card to a file.

  --name <text>          display name (default "Ünïcörn 🦄 猫 ☆")
  --xp <n>               total XP (default 12345); level and progress come from the curve
  --a <n> --c <n>        curve constants (default 9 and 27: level L→L+1 costs a·(L+1)+c)
  --rank <n>             leaderboard rank (default 1; 0 = unranked)
  --avatar <file>        avatar image (PNG/JPEG/WebP/GIF); placeholder if absent
  --background <file|key>  background file (PNG/JPEG/WebP, or an animated GIF → animated card), or the key
                         of a shop background in xp_config.yml (XP_CONFIG_PATH), e.g. --background aurora
  --club <text>          club name          --club-icon <file>   club icon image
  --template <file>      YAML or JSON: a card template, or an xp_config.yml with a card: section
  --out <file>           output (default card.png, or card.gif for an animated card)
  --repeat <n>           render n more times and print the median (warm worker) time
`;

/** A wrong argument or file: printed as it is (no stack trace), exit code 2. */
class UsageError extends Error {}

function fail(message: string): never {
  throw new UsageError(message);
}

function int(value: string | undefined, name: string, fallback: number, min = Number.MIN_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^[-+]?\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) fail(`--${name} must be a whole number, got "${value}"`);
  if (n < min) fail(`--${name} must be ${min} or more, got ${n}`);
  return n;
}

function readFile(path: string | undefined, what: string): Uint8Array | null {
  if (!path) return null;
  try {
    return readFileSync(path);
  } catch (err) {
    fail(`Cannot read the ${what} file ${path}: ${(err as Error).message}`);
  }
}

/** A background given as a file, or as a shop key of xp_config.yml (its file, or its URL fetched safely). */
async function loadBackground(ref: string | undefined): Promise<Uint8Array | null> {
  if (!ref || existsSync(ref)) return readFile(ref, 'background');
  const configPath = process.env.XP_CONFIG_PATH || 'xp_config.yml';
  let config;
  try {
    config = await loadXpConfig(configPath);
  } catch (err) {
    fail(`"${ref}" is not a file, and ${configPath} could not be read to look it up as a shop key:\n${(err as Error).message}`);
  }
  const bg = config.shop.bgs.get(ref);
  if (!bg) fail(`"${ref}" is neither a file nor a background key in ${configPath} (keys: ${[...config.shop.bgs.keys()].join(', ')})`);
  if (bg.image.kind === 'file') return (await readLocalImage(bg.image.root, bg.image.path)).bytes; // checked at load
  try {
    return (await new SafeFetcher().fetchImage(bg.image.url)).bytes;
  } catch (err) {
    fail(`The background "${ref}" (${bg.image.url}) could not be fetched: ${(err as Error).message}`);
  }
}

function loadTemplate(path: string | undefined): CardTemplate {
  if (!path) return defaultCardTemplate;
  let raw: Record<string, unknown> | null;
  try {
    const text = readFileSync(path, 'utf8');
    raw = (path.endsWith('.json') ? JSON.parse(text) : loadYaml(text)) as Record<string, unknown> | null;
  } catch (err) {
    fail(`Cannot read the template ${path}: ${(err as Error).message}`);
  }
  const section = raw && typeof raw === 'object' && 'card' in raw ? raw.card : raw;
  try {
    return parseCardTemplate(section);
  } catch (err) {
    if (err instanceof CardTemplateError) fail(`${path}: ${err.issues.join('\n  ')}`);
    throw err;
  }
}

/** parseArgs throws on an unknown option, and `--xp -5` reads "-5" as one: say so with the help, not a stack trace. */
function parseOrFail() {
  try {
    return parseArgs({
      options: {
        name: { type: 'string', default: 'Ünïcörn 🦄 猫 ☆' },
        xp: { type: 'string' },
        a: { type: 'string' },
        c: { type: 'string' },
        rank: { type: 'string' },
        avatar: { type: 'string' },
        background: { type: 'string' },
        club: { type: 'string' },
        'club-icon': { type: 'string' },
        template: { type: 'string' },
        out: { type: 'string' },
        repeat: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    fail(`${(err as Error).message}\n\n${HELP}`);
  }
}

async function main(): Promise<void> {
  const { values } = parseOrFail();
  if (values.help) {
    console.log(HELP);
    return;
  }
  const a = int(values.a, 'a', 9);
  const c = int(values.c, 'c', 27);
  if (a < CURVE_LIMITS.aMin || a > CURVE_LIMITS.aMax) fail(`--a must be ${CURVE_LIMITS.aMin}–${CURVE_LIMITS.aMax}`);
  if (c < CURVE_LIMITS.cMin || c > CURVE_LIMITS.cMax) fail(`--c must be ${CURVE_LIMITS.cMin}–${CURVE_LIMITS.cMax}`);
  const stats = levelStats(int(values.xp, 'xp', 12_345, 0), { a, c });
  const background = await loadBackground(values.background);
  const ctx = {
    displayName: values.name ?? '',
    avatar: readFile(values.avatar, 'avatar'),
    level: stats.level,
    rank: int(values.rank, 'rank', 1, 0),
    xpInLevel: stats.xpInLevel,
    xpNeeded: stats.xpNeeded,
    totalXp: stats.totalXp,
    clubName: values.club ?? null,
    clubIcon: readFile(values['club-icon'], 'club icon'),
    background,
    backgroundKey: values.background ?? null,
    template: loadTemplate(values.template),
  };

  const renderer = new CardRenderer({ size: 1 });
  try {
    const started = performance.now();
    const result = await renderer.render(ctx);
    const wall = performance.now() - started;
    const out = values.out ?? `card.${result.format}`;
    writeFileSync(out, result.bytes);
    console.log(
      `${out}: ${result.format.toUpperCase()} ${result.width}×${result.height}, ${result.frames} frame(s), ${result.bytes.length.toLocaleString('en-US')} bytes; ` +
        `level ${stats.level} (${stats.xpInLevel}/${stats.xpNeeded} XP); render ${result.ms.toFixed(1)} ms in the worker (cold), ${wall.toFixed(1)} ms with worker start-up`,
    );
    const repeat = int(values.repeat, 'repeat', 0, 0);
    if (repeat > 0) {
      const times: number[] = [];
      for (let i = 0; i < repeat; i++) times.push((await renderer.render(ctx)).ms);
      times.sort((x, y) => x - y);
      console.log(`warm: median ${times[times.length >> 1]!.toFixed(1)} ms over ${repeat} renders (min ${times[0]!.toFixed(1)}, max ${times[times.length - 1]!.toFixed(1)})`);
    }
  } finally {
    await renderer.close();
  }
}

let code = 0;
try {
  await main();
} catch (err) {
  if (err instanceof UsageError) {
    console.error(err.message);
    code = 2;
  } else {
    console.error(`The card could not be rendered: ${err instanceof Error ? err.message : String(err)}`);
    code = 1;
  }
}
await exitAfterFlush(code);
