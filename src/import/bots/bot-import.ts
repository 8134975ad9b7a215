/**
 * Imports from other leveling bots (DESIGN §8.2): `npm run import -- <mee6|polaris|levelup|lurkr|amari|csv> <file
 * or folder>`. The whole input is read, parsed and validated before Unicornia's database is opened, so a damaged
 * file, a file of another bot, or a missing `--guild` changes nothing. Then, like the Nadeko import, each section
 * is written in batches together with the import ledger (per source), so a re-run adds only what changed.
 */
import { DEFAULT_IMPORT_OPTIONS, assertDistinct, withTarget, type ImportOptions } from '../options.js';
import { ImportError } from '../errors.js';
import { isSkip, Runner, type Skip } from '../runner.js';
import { emptySections, type ImportSummary } from '../summary.js';
import { amari } from './amari.js';
import { csv } from './csv.js';
import { listInput, parseJson, readRaw, type RawFile } from './input.js';
import { levelup } from './levelup.js';
import { convertMembers } from './levels.js';
import { lurkr } from './lurkr.js';
import { mee6 } from './mee6.js';
import { polaris } from './polaris.js';
import type { BotSource, BotSourceName, InputFile } from './shape.js';
import { describeIssue } from './values.js';
import type { LevelCurve } from '../../levels/curve.js';
import { targetLabel } from '../../storage/import-target.js';

export const SOURCES: Readonly<Record<BotSourceName, BotSource>> = { mee6, polaris, levelup, lurkr, amari, csv };

export async function importBot(name: BotSourceName, inputPath: string, targetPath: string, options: ImportOptions = {}): Promise<ImportSummary> {
  const o = { ...DEFAULT_IMPORT_OPTIONS, ...options };
  const started = performance.now();
  const src = SOURCES[name];
  if (!o.dryRun && o.keep === null) throw new ImportError('needs_keep', `npm run import -- ${name} ${inputPath}`);
  assertDistinct(inputPath, targetPath);
  const guild = o.guildId === null ? null : BigInt(o.guildId);
  const parser = src.parser({ guildId: guild });
  const files = listInput(inputPath, src.extension);
  o.progress?.start('reading files', files.length);
  for (const [i, name] of files.entries()) {
    parser.add(load(src, readRaw(name), inputPath));
    o.progress?.update('reading files', i + 1);
  }
  o.progress?.finish('reading files');
  const data = parser.finish();
  if (o.keep === 'level' && !data.hasLevels) throw new ImportError('no_level', inputPath);
  const only = <T extends { guildId: bigint }>(rows: (T | Skip)[]): (T | Skip)[] =>
    guild === null ? rows : rows.filter((r) => isSkip(r) || r.guildId === guild);

  return withTarget(targetPath, name, o, async (st) => {
    const sections = emptySections();
    const run = new Runner(sections, o.batchSize, o.progress);
    await run.section('XP settings', null, only(data.settings), (b) => st.importGuildSettings(b));
    await run.section('exclusions', null, only(data.exclusions), (b) => st.importExclusions(b));
    await run.section('multipliers', null, only(data.multipliers), (b) => st.importMultipliers(b));
    await run.section('role rewards', null, only(data.roleRewards), (b) => st.importRoleRewards(b));
    // A dry run that was not told what to keep simulates keeping XP; its summary shows both choices.
    const found = only(data.members);
    const curves = new Map<bigint, LevelCurve>();
    for (const m of found) if (!isSkip(m) && !curves.has(m.guildId)) curves.set(m.guildId, await st.curveOf(m.guildId));
    const members = convertMembers(found, o.keep ?? 'xp', (g) => curves.get(g)!);
    await run.section('server XP', members.rows.length, members.rows, (b) => st.importMemberXp(b));
    const servers = new Set(members.rows.flatMap((r) => (isSkip(r) ? [] : [r.guildId]))).size;
    return {
      bot: src.label,
      source: inputPath,
      target: targetLabel(targetPath),
      details: [`${count(files.length, 'file')} read; ${count(servers, 'server')}.`],
      guildId: o.guildId,
      dryRun: o.dryRun,
      sections,
      notImported: data.notImported,
      levels: { keep: o.keep, ...members.levels },
      notes: [...data.notes, ...run.noteLines()],
      seconds: (performance.now() - started) / 1000,
    };
  });
}

/** Parses and validates one file; a file of another bot is refused by that bot's name. */
function load(src: BotSource, f: RawFile, path: string): InputFile {
  const value = decode(src, f, path);
  if (!src.looksLike(value)) refuse(src, f.name, value, path);
  const parsed = src.schema.safeParse(value);
  if (!parsed.success) {
    const where = describeIssue(parsed.error);
    throw src === csv
      ? new ImportError('bad_csv', `${f.name}: ${where}`)
      : new ImportError('not_format', `${f.name} is not ${src.describes}: ${where}.`);
  }
  return { name: f.name, value: parsed.data };
}

function decode(src: BotSource, f: RawFile, path: string): unknown {
  if (f.sqlite) {
    throw new ImportError(
      'wrong_source',
      `${f.name} is an SQLite database, not ${src.describes}. Nothing was imported. If it is NadekoBot's nadekobot.db, run: npm run import -- nadeko ${path}`,
    );
  }
  if (src.extension === 'csv') return f.text;
  if (csv.looksLike(f.text)) refuse(src, f.name, f.text, path);
  return parseJson(f);
}

function refuse(src: BotSource, file: string, value: unknown, path: string): never {
  let candidate = value;
  if (typeof value === 'string' && !csv.looksLike(value)) {
    try {
      candidate = JSON.parse(value) as unknown;
    } catch {
      // not JSON either: nothing else to recognise it by
    }
  }
  const other = Object.values(SOURCES).find((s) => s !== src && s.looksLike(candidate));
  if (other) {
    throw new ImportError(
      'wrong_source',
      `${file} looks like ${other.describes}, not ${src.label}'s data. Nothing was imported. If it is ${other.label}'s, run: npm run import -- ${other.name} ${path}`,
    );
  }
  throw new ImportError('not_format', `${file} is not ${src.describes}.`);
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}
