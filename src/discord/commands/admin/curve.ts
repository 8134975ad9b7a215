/**
 * `unicornia curve …`: the server's level curve (DESIGN §1, §2.4.2). `preview` shows what a curve would do — a chart of
 * XP per level, today's beside the new one, how many members change level each way, which reward roles move — and
 * changes nothing. `set` (custom constants) and `preset` show the same preview with a button: the curve changes only
 * when the admin confirms, and members are then re-levelled through the normal level-change path.
 */
import { defineCommand, type AnyCommand, type CommandContext, type ReplyPayload } from '../types.js';
import { oldPath, requireGuild, saveSettings } from './shared.js';
import { CURVE_LIMITS, CURVE_PRESETS, describeCurve, xpForNextLevel, type CurvePreset, type LevelCurve } from '../../../levels/curve.js';
import { curveImpact } from '../../../engine/curve-impact.js';
import { UserError } from '../errors.js';
import { sessionButtonId } from '../../sessions.js';
import { fitLines } from '../../limits.js';

const PRESET_NAMES = Object.keys(CURVE_PRESETS) as CurvePreset[];
/** Levels the chart shows at least, and at most. */
const CHART_LEVELS = { min: 20, max: 100 };
/** XP totals read per query while counting what a curve would change. */
const READ_CHUNK = 1000;
const LAST_ID = '9223372036854775807';

const preview = defineCommand({
  path: ['unicornia', 'curve', 'preview'],
  description: "What a curve would change (chart, members' levels, reward roles); changes nothing",
  options: [
    { name: 'curve', type: 'string', required: true, description: 'nadeko, mee6, linear, or the constant a (1–100) of a custom curve', min: 1, max: 10 },
    { name: 'c', type: 'integer', description: `With a custom a: the constant c, ${CURVE_LIMITS.cMin}–${CURVE_LIMITS.cMax}`, min: CURVE_LIMITS.cMin, max: CURVE_LIMITS.cMax },
  ] as const,
  example: { curve: 'mee6' },
  permission: 'admin',
  async handler(ctx, { curve, c }) {
    const next = parseCurve(curve, c);
    await ctx.defer();
    return previewPayload(ctx, next, false);
  },
});

const set = defineCommand({
  path: ['unicornia', 'curve', 'set'],
  aliases: [oldPath('curve')],
  description: 'Custom curve: level L → L+1 costs a·(L+1) + c XP (Nadeko: a=9, c=27); asks to confirm',
  options: [
    { name: 'a', type: 'integer', required: true, description: `Growth per level, ${CURVE_LIMITS.aMin}–${CURVE_LIMITS.aMax}`, min: CURVE_LIMITS.aMin, max: CURVE_LIMITS.aMax },
    { name: 'c', type: 'integer', required: true, description: `Constant cost, ${CURVE_LIMITS.cMin}–${CURVE_LIMITS.cMax}`, min: CURVE_LIMITS.cMin, max: CURVE_LIMITS.cMax },
  ] as const,
  example: { a: 9, c: 27 },
  permission: 'admin',
  async handler(ctx, { a, c }) {
    await ctx.defer();
    await confirmChange(ctx, { a, c });
  },
});

const preset = defineCommand({
  path: ['unicornia', 'curve', 'preset'],
  description: 'Use a published curve: nadeko (default: 9L+36), mee6 (5L²+50L+100), linear (100 a level)',
  options: [{ name: 'preset', type: 'string', required: true, description: 'nadeko, mee6, linear, or default (nadeko)', choices: [...PRESET_NAMES, 'default'] }] as const,
  example: { preset: 'mee6' },
  permission: 'admin',
  async handler(ctx, { preset: name }) {
    await ctx.defer();
    await confirmChange(ctx, CURVE_PRESETS[name === 'default' ? 'nadeko' : (name as CurvePreset)]);
  },
});

export const curveCommands: AnyCommand[] = [set, preset, preview] as AnyCommand[];

/** A curve typed as a preset name or a custom `a` (with `c`). */
function parseCurve(curve: string, c: number | undefined): LevelCurve {
  const word = curve.trim().toLowerCase();
  if (word === 'default') return CURVE_PRESETS.nadeko;
  if ((PRESET_NAMES as string[]).includes(word)) return CURVE_PRESETS[word as CurvePreset];
  const a = Number(word);
  if (!Number.isInteger(a) || a < CURVE_LIMITS.aMin || a > CURVE_LIMITS.aMax) {
    throw new UserError('bad_argument', `\`curve\` is a preset (${PRESET_NAMES.join(', ')}) or a custom a from ${CURVE_LIMITS.aMin} to ${CURVE_LIMITS.aMax} with c.`);
  }
  if (c === undefined) throw new UserError('missing_argument', `A custom curve needs c too (${CURVE_LIMITS.cMin}–${CURVE_LIMITS.cMax}), e.g. \`curve:${a} c:27\`.`);
  return { a, c };
}

/** The members' XP totals (stored, with unwritten changes), members who left not counted. */
async function memberTotals(ctx: CommandContext, guildId: string): Promise<number[]> {
  const { reads, engine } = ctx.app.core;
  const unwritten = await engine.unwrittenTotals(guildId);
  const totals: number[] = [];
  let cursor = '0';
  for (;;) {
    const rows = await reads.xpRange(guildId, cursor, LAST_ID, READ_CHUNK);
    if (rows.length === 0) break;
    for (const r of rows) if (!r.hasLeft) totals.push(unwritten.get(r.userId) ?? r.xp);
    cursor = rows[rows.length - 1]!.userId;
  }
  return totals;
}

function same(x: LevelCurve, y: LevelCurve): boolean {
  return x.a === y.a && x.c === y.c && (x.q ?? 0) === (y.q ?? 0);
}

/** The preview: chart (when cards are drawn here), counts, roles. */
async function previewPayload(ctx: CommandContext, next: LevelCurve, asking: boolean): Promise<ReplyPayload> {
  const guildId = requireGuild(ctx);
  await ctx.app.core.flusher.flushForReads();
  const rules = await ctx.app.core.engine.rules(guildId);
  const today = rules.settings.curve;
  const impact = curveImpact(await memberTotals(ctx, guildId), today, next, rules.roleRewards, rules.settings.rewardMode);
  const n = (v: number) => v.toLocaleString('en-US');
  const lines = [
    `**Today:** ${describeCurve(today)}`,
    `**New:** ${describeCurve(next)}`,
    '',
    same(today, next)
      ? 'That is the curve this server has now: nothing would change.'
      : `Of ${n(impact.members)} members, **${n(impact.up)}** would go up a level or more and **${n(impact.down)}** down; ${n(impact.members - impact.up - impact.down)} stay.`,
  ];
  const roleLines = impact.roles.map((m) => `<@&${m.roleId}>: ${m.gain ? `+${n(m.gain)} members` : ''}${m.gain && m.lose ? ', ' : ''}${m.lose ? `−${n(m.lose)} members` : ''}`);
  if (roleLines.length) lines.push('', '**Reward roles that would move**', fitLines(roleLines, 1500));
  if (impact.up > 0) lines.push('', 'Currency rewards of levels members reach for the first time are paid once; nothing paid before is paid again or taken back.');
  if (asking) lines.push('', 'Nothing has changed yet. Apply this curve?');
  const levels = Math.min(CHART_LEVELS.max, Math.max(CHART_LEVELS.min, impact.highestLevel + 5));
  const labels = Array.from({ length: levels + 1 }, (_, l) => String(l));
  const chart = await ctx.app.cards?.curveChart({
    template: ctx.app.config.current.card,
    title: 'XP to the next level',
    subtitle: `${describeCurve(today)} → ${describeCurve(next)}`.slice(0, 200),
    yLabel: 'XP to the next level',
    labels,
    series: [
      { name: 'Today', values: labels.map((_, l) => xpForNextLevel(l, today)) },
      { name: 'New', values: labels.map((_, l) => xpForNextLevel(l, next)) },
    ],
  });
  return {
    embeds: [{ title: 'Level curve preview', description: lines.join('\n'), color: 0x8b5cf6, ...(chart ? { image: { url: 'attachment://curve.png' } } : {}) }],
    files: chart ? [{ name: 'curve.png', data: chart }] : undefined,
  };
}

/** Shows the preview with Apply / Cancel; the curve changes only when the invoker presses Apply. */
async function confirmChange(ctx: CommandContext, next: LevelCurve): Promise<void> {
  const guildId = requireGuild(ctx);
  const today = (await ctx.app.core.engine.rules(guildId)).settings.curve;
  const shown = await previewPayload(ctx, next, !same(today, next));
  if (same(today, next)) {
    await ctx.reply(shown);
    return;
  }
  const session = ctx.app.sessions.reserve();
  const buttons = (disabled: boolean): ReplyPayload['components'] => [
    {
      type: 1,
      components: [
        { type: 2, style: 3, custom_id: sessionButtonId(session, 'apply'), label: 'Apply this curve', disabled },
        { type: 2, style: 2, custom_id: sessionButtonId(session, 'cancel'), label: 'Cancel', disabled },
      ],
    },
  ];
  let payload: ReplyPayload = { ...shown, components: buttons(false) };
  let settled = false;
  const settle = (text: string): ReplyPayload => {
    settled = true;
    return (payload = { ...payload, files: undefined, content: text, components: buttons(true) });
  };
  ctx.app.sessions.open(
    session,
    {
      invokerId: ctx.user.id,
      current: () => payload,
      press: async (action) => {
        if (settled) return payload;
        if (action === 'cancel') return settle('Cancelled: the curve is unchanged.');
        const now = (await ctx.app.core.engine.rules(guildId)).settings.curve;
        if (!same(now, today)) return settle('The curve changed since this preview, so nothing was applied. Run the command again to see the new preview.');
        if (await ctx.app.passes.reads.get(guildId, 'relevel')) return settle('Members are still being re-levelled after the last curve change; try again when that is done.');
        settled = true; // a second press while this one runs changes nothing
        await saveSettings(ctx, { curve: next });
        await ctx.app.relevel.start(guildId, { today, next }, ctx.channelId, ctx.user.id, ctx.app.passes.channelProgress(ctx.channelId));
        return settle(`✅ The curve is now ${describeCurve(next)}. Members are re-levelled on it (progress below); their reward roles follow.`);
      },
    },
    ctx.edit,
  );
  await ctx.reply(payload);
}
