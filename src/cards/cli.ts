/**
 * `npm run card -- [options]`: render one card (or level-up card, or sample chart) to a file from given values,
 * through the real worker pool, and print how long it took. For looking at the design, trying a template, and timing.
 *
 *   npm run card -- --name "Ünïcörn 🦄 猫 ☆" --xp 123456 --rank 7 --background assets/backgrounds/aurora.gif
 */
import { parseArgs } from 'node:util';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { load as loadYaml } from 'js-yaml';
import { levelStats, CURVE_LIMITS, NADEKO_CURVE, type LevelCurve } from '../levels/curve.js';
import { sampleCurveChart, sampleHistoryChart } from './charts/samples.js';
import { accentColorSchema, type AccentVerdict } from './contrast.js';
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
  --level-up             the level-up card: the XP card under a "LEVEL UP" banner
  --accent <#hex>        accent colour (level, rank, ring, bar); used only with enough contrast on this card
  --template <file>      YAML or JSON: a card template, or an xp_config.yml with a card: section
  --out <file>           output (default card.png, or card.gif for an animated card)
  --repeat <n>           render n more times and print the median (warm worker) time

Charts (with the template's fonts and colours, through the same worker pool):
  --chart curve          curve preview: today's curve (--a, --c) against --to-a/--to-c (default 20, 100),
                         --levels <n> (default 50), --total for total XP per level instead of XP per level
  --chart history        level history: --days 7|30|90|365 (default 30), --sample busy|empty|one-day,
                         --name for the title; sample data ending today
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
        accent: { type: 'string' },
        'level-up': { type: 'boolean' },
        out: { type: 'string' },
        repeat: { type: 'string' },
        chart: { type: 'string' },
        'to-a': { type: 'string' },
        'to-c': { type: 'string' },
        levels: { type: 'string' },
        total: { type: 'boolean' },
        days: { type: 'string' },
        sample: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    fail(`${(err as Error).message}\n\n${HELP}`);
  }
}

function accentOption(value: string | undefined): string | null {
  if (value === undefined) return null;
  const parsed = accentColorSchema.safeParse(value);
  if (!parsed.success) fail(`--accent ${parsed.error.issues[0]!.message}, got "${value}"`);
  return parsed.data;
}

function curveOption(a: string | undefined, c: string | undefined, aName: string, cName: string, fallback: LevelCurve): LevelCurve {
  const curve = { a: int(a, aName, fallback.a), c: int(c, cName, fallback.c) };
  if (curve.a < CURVE_LIMITS.aMin || curve.a > CURVE_LIMITS.aMax) fail(`--${aName} must be ${CURVE_LIMITS.aMin}–${CURVE_LIMITS.aMax}`);
  if (curve.c < CURVE_LIMITS.cMin || curve.c > CURVE_LIMITS.cMax) fail(`--${cName} must be ${CURVE_LIMITS.cMin}–${CURVE_LIMITS.cMax}`);
  return curve;
}

/** `--chart curve|history`: render a sample chart to a file and print its time. */
async function renderChart(values: ReturnType<typeof parseOrFail>['values'], today: LevelCurve): Promise<void> {
  const template = loadTemplate(values.template);
  const renderer = new CardRenderer({ size: 1 });
  try {
    let result;
    if (values.chart === 'curve') {
      const levels = int(values.levels, 'levels', 50);
      if (levels < 1 || levels > 200) fail('--levels must be 1–200');
      const proposed = curveOption(values['to-a'], values['to-c'], 'to-a', 'to-c', { a: 20, c: 100 });
      result = await renderer.renderCurveChart(sampleCurveChart(today, proposed, { levels, total: values.total === true, template }));
    } else if (values.chart === 'history') {
      const days = int(values.days, 'days', 30);
      if (![7, 30, 90, 365].includes(days)) fail('--days must be 7, 30, 90 or 365');
      const sample = values.sample ?? 'busy';
      if (sample !== 'busy' && sample !== 'empty' && sample !== 'one-day') fail('--sample must be busy, empty or one-day');
      result = await renderer.renderHistoryChart(sampleHistoryChart({ days, sample, name: values.name ?? 'Ünïcörn 🦄', end: new Date(), template }));
    } else {
      fail(`--chart must be curve or history, got "${values.chart}"`);
    }
    const out = values.out ?? `${values.chart}.png`;
    writeFileSync(out, result.bytes);
    console.log(`${out}: PNG ${result.width}×${result.height}, ${result.bytes.length.toLocaleString('en-US')} bytes; render ${result.ms.toFixed(1)} ms in the worker (cold)`);
  } finally {
    await renderer.close();
  }
}

function describeAccent(v: AccentVerdict): string {
  const where = `lowest contrast ${v.ratio}:1 on the ${v.element ?? 'card'} (needs ${v.minRatio}:1)`;
  if (v.ok) return `accent ${v.accent} used: ${where}`;
  return `accent ${v.accent} NOT used, template colours drawn instead: ${where}${v.suggestion ? `; ${v.suggestion} would pass` : ''}`;
}

async function main(): Promise<void> {
  const { values } = parseOrFail();
  if (values.help) {
    console.log(HELP);
    return;
  }
  const today = curveOption(values.a, values.c, 'a', 'c', NADEKO_CURVE);
  if (values.chart !== undefined) {
    await renderChart(values, today);
    return;
  }
  const stats = levelStats(int(values.xp, 'xp', 12_345, 0), today);
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
    accent: accentOption(values.accent),
    levelUp: values['level-up'] ? { oldLevel: Math.max(0, stats.level - 1) } : null,
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
    if (result.accent) console.log(describeAccent(result.accent));
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
