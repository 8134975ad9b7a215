/** `unicornia voice …`: voice XP per minute, anti-farming, the daily cap, muted members, stage audiences (DESIGN §2.3). */
import { defineCommand, type AnyCommand } from '../types.js';
import { numericSetting, ok, oldPath, saveSettings, switchSetting } from './shared.js';
import { DEFAULT_SETTINGS, type GuildSettings } from '../../../engine/settings.js';

export const voiceCommands: AnyCommand[] = [
  defineCommand({
    path: ['unicornia', 'voice', 'xp'],
    aliases: [oldPath('voicexp')],
    description: 'Voice XP per minute, anti-farming and daily cap',
    options: [
      { name: 'perminute', type: 'integer', required: true, description: 'XP per minute in voice, 0–1000 (0 turns voice XP off), or "default" (1)', min: 0, max: 1000, orDefault: true },
      { name: 'antifarm', type: 'boolean', description: 'No XP for members alone in a channel: true or false, or "default" (true)', orDefault: true },
      { name: 'dailycap', type: 'integer', description: 'Voice minutes per day that earn XP, 0–1440 (0 = no cap), or "default" (0)', min: 0, max: 1440, orDefault: true },
    ] as const,
    example: { perminute: 2, antifarm: true, dailycap: 600 },
    permission: 'admin',
    async handler(ctx, { perminute, antifarm, dailycap }) {
      const d = DEFAULT_SETTINGS;
      const patch: Partial<GuildSettings> = { voiceXpPerMinute: perminute === 'default' ? d.voiceXpPerMinute : perminute };
      if (antifarm !== undefined) patch.voiceAntiFarm = antifarm === 'default' ? d.voiceAntiFarm : antifarm;
      if (dailycap !== undefined) patch.voiceDailyCapMinutes = dailycap === 'default' ? d.voiceDailyCapMinutes : dailycap;
      await saveSettings(ctx, patch);
      const s = (await ctx.app.core.engine.rules(ctx.guildId!)).settings;
      return ok(
        `Voice XP: ${s.voiceXpPerMinute}/minute, alone-in-channel ${s.voiceAntiFarm ? 'earns nothing' : 'earns too'}, ` +
          `daily cap ${s.voiceDailyCapMinutes ? `${s.voiceDailyCapMinutes} minutes` : 'none'}.`,
      );
    },
  }),
  switchSetting(['unicornia', 'voice', 'muted'], 'voiceMutedEarn', {
    aliases: [],
    description: 'Whether muted members earn voice XP (default on); they count as company either way',
    on: 'Muted members earn voice XP: they are listening.',
    off: 'Muted members earn no voice XP; they still count as company for the anti-farming rule.',
  }),
  numericSetting(['unicornia', 'voice', 'stageaudience'], 'stageAudiencePercent', {
    aliases: [],
    min: 0,
    max: 100,
    description: "Share of voice XP a stage's audience earns, in % (default 0; speakers earn all)",
    example: 25,
    done: (v) => (v === 0 ? "A stage's audience earns no voice XP; speakers do." : `A stage's audience earns ${v} % of voice XP; speakers earn all of it.`),
  }),
];
