/** `unicornia guild …` commands that set one value each (DESIGN §2.5). */
import { defineCommand, type AnyCommand } from '../types.js';
import { multiplierArg, ok, requireGuild, saveSettings } from './shared.js';
import { formatMilli } from '../../../engine/multiplier.js';
import { UserError } from '../errors.js';
import { CURVE_LIMITS, levelStats } from '../../../levels/curve.js';
import type { GuildSettings } from '../../../engine/settings.js';

type NumericField = 'xpPerMessage' | 'cooldownSeconds';

/** One command per numeric setting; they differ only in name, bounds and wording. */
function numericSetting(name: string, field: NumericField, o: { type: 'integer' | 'number'; min: number; max: number; description: string; done: (v: number) => string }): AnyCommand {
  return defineCommand({
    path: ['unicornia', 'guild', name],
    description: o.description,
    options: [{ name: 'value', type: o.type, required: true, description: `${o.description}, ${o.min}–${o.max}`, min: o.min, max: o.max }] as const,
    permission: 'admin',
    async handler(ctx, { value }) {
      await saveSettings(ctx, { [field]: value } as Partial<GuildSettings>);
      return ok(o.done(value));
    },
  });
}

/** One command per on/off setting. */
function switchSetting(name: string, field: 'xpEnabled' | 'reapplyRolesOnRejoin', description: string, on: string, off: string): AnyCommand {
  return defineCommand({
    path: ['unicornia', 'guild', name],
    description,
    options: [{ name: 'enabled', type: 'boolean', required: true, description: 'true or false' }] as const,
    permission: 'admin',
    async handler(ctx, { enabled }) {
      await saveSettings(ctx, { [field]: enabled });
      return ok(enabled ? on : off);
    },
  });
}

export const settingCommands: AnyCommand[] = [
  switchSetting('xpenabled', 'xpEnabled', 'Turn XP on or off in this server', 'XP is on in this server.', 'XP is off in this server: nobody earns XP until it is turned back on.'),
  numericSetting('xppermessage', 'xpPerMessage', { type: 'integer', min: 0, max: 1000, description: 'XP per counted message', done: (v) => `Each counted message now earns ${v} XP (before multipliers).` }),
  numericSetting('cooldown', 'cooldownSeconds', { type: 'integer', min: 0, max: 86_400, description: 'Seconds between messages that earn XP', done: (v) => `A member earns message XP at most once every ${v} s.` }),
  defineCommand({
    path: ['unicornia', 'guild', 'xprate'],
    description: 'Multiplier for all XP in this server',
    options: [{ name: 'value', type: 'number', required: true, description: 'Multiplier for all XP in this server, 0–100 in steps of 0.001', min: 0, max: 100 }] as const,
    permission: 'admin',
    async handler(ctx, { value }) {
      const rateMilli = multiplierArg('value', value, ctx.app.core.engine.rules(requireGuild(ctx)).settings, 'rate');
      await saveSettings(ctx, { rateMilli });
      const shown = formatMilli(rateMilli);
      return ok(rateMilli === 0 ? 'All XP is now multiplied by 0: nobody earns XP until the rate is raised.' : `All XP is now multiplied by ${shown}.`);
    },
  }),
  defineCommand({
    path: ['unicornia', 'guild', 'voicexp'],
    description: 'Voice XP per minute, anti-farming and daily cap',
    options: [
      { name: 'perminute', type: 'integer', required: true, description: 'XP per minute in voice (0 turns voice XP off)', min: 0, max: 1000 },
      { name: 'antifarm', type: 'boolean', description: 'No XP for members alone in a channel (default on)' },
      { name: 'dailycap', type: 'integer', description: 'Voice minutes per day that earn XP (0 = no cap)', min: 0, max: 1440 },
    ] as const,
    permission: 'admin',
    async handler(ctx, { perminute, antifarm, dailycap }) {
      const patch: Partial<GuildSettings> = { voiceXpPerMinute: perminute };
      if (antifarm !== undefined) patch.voiceAntiFarm = antifarm;
      if (dailycap !== undefined) patch.voiceDailyCapMinutes = dailycap;
      await saveSettings(ctx, patch);
      const s = ctx.app.core.engine.rules(ctx.guildId!).settings;
      return ok(
        `Voice XP: ${s.voiceXpPerMinute}/minute, alone-in-channel ${s.voiceAntiFarm ? 'earns nothing' : 'earns too'}, ` +
          `daily cap ${s.voiceDailyCapMinutes ? `${s.voiceDailyCapMinutes} minutes` : 'none'}.`,
      );
    },
  }),
  defineCommand({
    path: ['unicornia', 'guild', 'curve'],
    description: 'Level curve: level L → L+1 costs a·(L+1) + c XP (Nadeko: a=9, c=27)',
    options: [
      { name: 'a', type: 'integer', required: true, description: `Growth per level, ${CURVE_LIMITS.aMin}–${CURVE_LIMITS.aMax}`, min: CURVE_LIMITS.aMin, max: CURVE_LIMITS.aMax },
      { name: 'c', type: 'integer', required: true, description: `Constant cost, ${CURVE_LIMITS.cMin}–${CURVE_LIMITS.cMax}`, min: CURVE_LIMITS.cMin, max: CURVE_LIMITS.cMax },
    ] as const,
    permission: 'admin',
    async handler(ctx, { a, c }) {
      await saveSettings(ctx, { curve: { a, c } });
      const first = levelStats(0, { a, c });
      return ok(`Level curve set to a=${a}, c=${c}: level 1 needs ${first.xpNeeded} XP. Existing XP is kept; levels are recomputed from it.`);
    },
  }),
  defineCommand({
    path: ['unicornia', 'guild', 'prefix'],
    description: 'Prefix for text commands in this server',
    options: [{ name: 'prefix', type: 'string', required: true, description: '1–10 characters, no spaces', min: 1, max: 10 }] as const,
    permission: 'admin',
    async handler(ctx, { prefix }) {
      if (/[\s`*_~|>\\]/.test(prefix)) throw new UserError('bad_argument', 'A prefix cannot contain spaces or Markdown characters (backtick, *, _, ~, |, >, backslash): they would garble every usage line.');
      await saveSettings(ctx, { prefix });
      return ok(`Text commands now start with \`${prefix}\`, e.g. \`${prefix}level check\`.`);
    },
  }),
  switchSetting('rejoinroles', 'reapplyRolesOnRejoin', 'Give role rewards back when a member rejoins', 'Members who rejoin get their reward roles back.', 'Members who rejoin no longer get reward roles back automatically.'),
];
