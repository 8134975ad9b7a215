/**
 * `unicornia decay …` (DESIGN §15.4): XP decay for inactive members — the policy (`set`, `off`, `floor`), exempt
 * roles, and `preview`, which shows before anything is turned on who would lose how much XP, which levels and which
 * reward roles over the next four weeks.
 */
import { defineCommand, type AnyCommand, type CommandContext } from '../types.js';
import { ok, requireGuild } from './shared.js';
import { UserError } from '../errors.js';
import { DECAY_LIMITS, policyOf, type DecayPer, type DecayPolicy, type DecayPreview, type DecayUnit } from '../../../engine/decay.js';
import { DEFAULT_SETTINGS, type GuildSettings } from '../../../engine/settings.js';
import { utcDay } from '../../../engine/history.js';
import { previewDecay } from '../../../jobs/decay.js';
import type { DecayPolicyPatch } from '../../../storage/decay.js';
import { replyWithPages } from '../../paged-list.js';
import { fitLines, LIMITS } from '../../limits.js';

const PERS = ['day', 'week'] as const;
const LINES_PER_PAGE = 10;
/** Reward roles named in the summary; the rest are counted. */
const ROLES_SHOWN = 15;
const n = (v: number) => v.toLocaleString('en-US');
const L = DECAY_LIMITS;

/** The amount option's help (Discord counts every character of a command's options). */
const AMOUNT_OPTION = `Per period: ${L.percent.min}–${L.percent.max}% or ${L.xp.min}–${L.xp.max} XP`;
const AMOUNT_HELP = `\`amount\` is a percentage from ${L.percent.min}% to ${L.percent.max}% (like \`5%\`) or a number of XP from ${n(L.xp.min)} to ${n(L.xp.max)} (like \`50\`)`;

/** `5%` → 5 percent; `50` → 50 XP; refused outside the ranges, naming them. */
export function parseAmount(text: string): { amount: number; unit: DecayUnit } {
  const m = /^\s*(\d{1,9})\s*(%?)\s*$/.exec(text);
  if (!m) throw new UserError('bad_argument', `${AMOUNT_HELP}, not \`${text.slice(0, 20)}\`.`);
  const amount = Number(m[1]);
  const unit: DecayUnit = m[2] === '%' ? 'percent' : 'xp';
  const range = L[unit];
  if (amount < range.min || amount > range.max) throw new UserError('bad_argument', `${AMOUNT_HELP}, not \`${text.trim()}\`.`);
  return { amount, unit };
}

function policyFromArgs(afterDays: number | undefined, amount: string | undefined, per: string | undefined, saved: DecayPolicy): DecayPolicy {
  if (afterDays === undefined) {
    if (amount !== undefined || per !== undefined) throw new UserError('bad_argument', 'Give `after_days` too when you give `amount` or `per`, or none of them to use the saved policy.');
    return saved;
  }
  if (amount === undefined || per === undefined) throw new UserError('bad_argument', `With \`after_days\`, give \`amount\` and \`per\` too: ${AMOUNT_HELP}, and \`per\` is \`day\` or \`week\`.`);
  return { ...saved, afterDays, ...parseAmount(amount), per: per.toLowerCase() as DecayPer };
}

/** "−5 % per week after 30 days without XP, never below level 3". */
export function describePolicy(p: DecayPolicy): string {
  const amount = p.unit === 'percent' ? `${p.amount} %` : `${n(p.amount)} XP`;
  return `−${amount} per ${p.per} after ${p.afterDays} day${p.afterDays === 1 ? '' : 's'} without earning XP${p.floorLevel > 0 ? `, never below level ${n(p.floorLevel)}` : ''}`;
}

/** The `settings` line. */
export function describeDecay(s: GuildSettings, exemptRoles: readonly string[]): string {
  const exempt = exemptRoles.length ? `; exempt: ${exemptRoles.map((r) => `<@&${r}>`).join(', ')}` : '';
  return `${s.decayEnabled ? 'on' : 'off'}: ${describePolicy(policyOf(s))}${exempt}`;
}

async function savePolicy(ctx: CommandContext, patch: DecayPolicyPatch): Promise<boolean> {
  const guildId = requireGuild(ctx);
  const wasOn = await ctx.app.core.writer.decay.savePolicy(guildId, patch, utcDay(ctx.app.clock.wallNow()));
  await ctx.app.core.engine.reloadGuild(guildId);
  return wasOn;
}

const set = defineCommand({
  path: ['unicornia', 'decay', 'set'],
  description: 'Turn decay on; "default" turns it off and resets it',
  options: [
    { name: 'after_days', type: 'integer', required: true, description: `Days without XP, ${L.afterDays.min}–${L.afterDays.max}, or "default"`, min: L.afterDays.min, max: L.afterDays.max, orDefault: true },
    { name: 'amount', type: 'string', description: AMOUNT_OPTION, min: 1, max: 12 },
    { name: 'per', type: 'string', description: 'day or week', choices: PERS },
  ] as const,
  example: { after_days: 30, amount: '5%', per: 'week' },
  permission: 'admin',
  async handler(ctx, { after_days, amount, per }) {
    if (after_days === 'default') {
      const d = DEFAULT_SETTINGS;
      await savePolicy(ctx, { decayEnabled: false, decayAfterDays: d.decayAfterDays, decayAmount: d.decayAmount, decayUnit: d.decayUnit, decayPer: d.decayPer, decayFloorLevel: d.decayFloorLevel, decaySinceDay: null });
      return ok(`Decay is off, and its policy is back to the default (${describePolicy(policyOf(d))}).`);
    }
    const current = policyOf((await ctx.app.core.engine.rules(requireGuild(ctx))).settings);
    const p = policyFromArgs(after_days, amount, per, current);
    const wasOn = await savePolicy(ctx, { decayEnabled: true, decayAfterDays: p.afterDays, decayAmount: p.amount, decayUnit: p.unit, decayPer: p.per });
    return ok(
      `Decay is ${wasOn ? 'now' : 'on'}: ${describePolicy(p)}. It is applied once a day${wasOn ? '' : ', from today'}; ` +
        '`unicornia decay preview` shows who it reaches over the next four weeks.',
    );
  },
});

const off = defineCommand({
  path: ['unicornia', 'decay', 'off'],
  description: 'Turn decay off (the policy is kept)',
  options: [] as const,
  example: {},
  permission: 'admin',
  async handler(ctx) {
    const wasOn = await savePolicy(ctx, { decayEnabled: false });
    return wasOn ? ok('Decay is off. Nobody loses XP for being inactive; XP lost before stays lost.') : { content: 'Decay was already off.' };
  },
});

const floor = defineCommand({
  path: ['unicornia', 'decay', 'floor'],
  description: 'Lowest level decay takes members to',
  options: [{ name: 'level', type: 'integer', required: true, description: `${L.floorLevel.min}–${L.floorLevel.max}, or "default" (0)`, min: L.floorLevel.min, max: L.floorLevel.max, orDefault: true }] as const,
  example: { level: 5 },
  permission: 'admin',
  async handler(ctx, { level }) {
    const v = level === 'default' ? DEFAULT_SETTINGS.decayFloorLevel : level;
    await savePolicy(ctx, { decayFloorLevel: v });
    return ok(v === 0 ? 'Decay may take members down to level 0.' : `Decay never takes a member below level ${n(v)}.`);
  },
});

const exempt = defineCommand({
  path: ['unicornia', 'decay', 'exempt'],
  description: 'Roles whose members never decay',
  options: [
    { name: 'action', type: 'string', required: true, description: 'add or remove', choices: ['add', 'remove'] },
    { name: 'role', type: 'role', required: true, description: 'The role' },
  ] as const,
  example: { action: 'add', role: '@Staff' },
  permission: 'admin',
  async handler(ctx, { action, role }) {
    const guildId = requireGuild(ctx);
    const add = action.toLowerCase() === 'add';
    if (add && role.id === guildId) throw new UserError('bad_argument', 'Everyone holds @everyone: to stop decay for everyone, use `unicornia decay off`.');
    const changed = await ctx.app.core.writer.decay.setExempt(guildId, role.id, add);
    const name = `<@&${role.id}>`;
    if (!changed) return { content: add ? `${name} is already exempt from decay.` : `${name} was not exempt from decay.` };
    return ok(add ? `Members with ${name} never lose XP to decay.` : `Members with ${name} decay like everyone else again.`);
  },
});

const preview = defineCommand({
  path: ['unicornia', 'decay', 'preview'],
  description: 'Who would lose what over 4 weeks; changes nothing',
  options: [
    { name: 'after_days', type: 'integer', description: `Days without XP, ${L.afterDays.min}–${L.afterDays.max} (default: saved policy)`, min: L.afterDays.min, max: L.afterDays.max },
    { name: 'amount', type: 'string', description: AMOUNT_OPTION, min: 1, max: 12 },
    { name: 'per', type: 'string', description: 'day or week', choices: PERS },
    { name: 'floor', type: 'integer', description: `Floor level, ${L.floorLevel.min}–${L.floorLevel.max}`, min: L.floorLevel.min, max: L.floorLevel.max },
  ] as const,
  example: { after_days: 14, amount: '10%', per: 'week' },
  permission: 'admin',
  async handler(ctx, { after_days, amount, per, floor: floorLevel }) {
    const guildId = requireGuild(ctx);
    const settings = (await ctx.app.core.engine.rules(guildId)).settings;
    const p = policyFromArgs(after_days, amount, per, policyOf(settings));
    const policy = floorLevel === undefined ? p : { ...p, floorLevel };
    await ctx.defer();
    const today = utcDay(ctx.app.clock.wallNow());
    const result = await previewDecay(ctx.app.core, ctx.app.exemptMembers, guildId, today, { policy });
    if (!result) return { content: 'The member list of this server is not loaded yet, so exempt roles cannot be told apart: try again in a minute.' };
    const exemptRoles = await ctx.app.core.stores.decay.exemptRoles(guildId);
    const state = settings.decayEnabled ? 'decay is on' : 'not on yet: nothing changes until `unicornia decay set`';
    const head = `**${describePolicy(policy)}** (${state})`;
    const summary = summaryLines(result, exemptRoles);
    const pages = Math.max(1, Math.ceil(result.top.length / LINES_PER_PAGE));
    await replyWithPages(
      ctx,
      {
        readsXp: false,
        pageCount: () => pages,
        render: (page, count) => ({
          title: 'Decay preview: the next 4 weeks',
          description: fitLines([head, ...summary, '', ...topLines(result, page)], LIMITS.description, '\n'),
          footer: { text: `Page ${page} / ${count} · if nobody earns XP meanwhile · members with the most XP lost first` },
        }),
      },
      1,
    );
  },
});

/** The preview's summary: counts, XP per week, level drops, the reward roles removed (the most removed first). */
export function summaryLines(r: DecayPreview, exemptRoles: readonly string[]): string[] {
  const lost = r.xpPerWeek.reduce((a, b) => a + b, 0);
  const roles = [...r.rolesRemoved].sort((a, b) => b[1] - a[1]).map(([id, count]) => `<@&${id}> ×${n(count)}`);
  // A server with many reward roles: the most removed ones, so the line never crowds out the list below it.
  const shown = roles.length > ROLES_SHOWN ? [...roles.slice(0, ROLES_SHOWN), `and ${n(roles.length - ROLES_SHOWN)} more`] : roles;
  return [
    `Members affected: **${n(r.affected)}** of ${n(r.members)}`,
    `XP lost per week: ${r.xpPerWeek.map(n).join(' · ')} (**${n(lost)}** in all)`,
    `Level drops: ${n(r.levelDrops)} member${r.levelDrops === 1 ? '' : 's'} (${n(r.levelsLost)} level${r.levelsLost === 1 ? '' : 's'} in all)`,
    `Reward roles removed: ${shown.length ? shown.join(', ') : 'none'}`,
    ...(exemptRoles.length ? [`Exempt: ${exemptRoles.map((id) => `<@&${id}>`).join(', ')}`] : []),
  ];
}

function topLines(r: DecayPreview, page: number): string[] {
  if (r.top.length === 0) return ['Nobody would lose XP.'];
  const start = (page - 1) * LINES_PER_PAGE;
  return r.top.slice(start, start + LINES_PER_PAGE).map((l, i) => {
    const level = l.toLevel < l.fromLevel ? ` · level ${n(l.fromLevel)} → ${n(l.toLevel)}` : '';
    const roles = l.rolesRemoved.length ? ` · loses ${l.rolesRemoved.map((id) => `<@&${id}>`).join(', ')}` : '';
    return `${start + i + 1}. <@${l.userId}> ${n(l.fromXp)} → ${n(l.toXp)} XP (−${n(l.fromXp - l.toXp)})${level}${roles}`;
  });
}

export const decayCommands: AnyCommand[] = [set, off, floor, exempt, preview] as AnyCommand[];
