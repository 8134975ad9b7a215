/** `unicornia voice …`: voice XP per minute, anti-farming and the daily cap. */
import { defineCommand, type AnyCommand } from '../types.js';
import { ok, oldPath, saveSettings } from './shared.js';
import type { GuildSettings } from '../../../engine/settings.js';

export const voiceCommands: AnyCommand[] = [
  defineCommand({
    path: ['unicornia', 'voice', 'xp'],
    aliases: [oldPath('voicexp')],
    description: 'Voice XP per minute, anti-farming and daily cap',
    options: [
      { name: 'perminute', type: 'integer', required: true, description: 'XP per minute in voice (0 turns voice XP off)', min: 0, max: 1000 },
      { name: 'antifarm', type: 'boolean', description: 'No XP for members alone in a channel (default on)' },
      { name: 'dailycap', type: 'integer', description: 'Voice minutes per day that earn XP (0 = no cap)', min: 0, max: 1440 },
    ] as const,
    example: { perminute: 2, antifarm: true, dailycap: 600 },
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
];
