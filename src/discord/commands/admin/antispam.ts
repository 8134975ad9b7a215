/** `unicornia antispam …`: rules that stop XP farming without punishing chat (DESIGN §2.1.2). */
import { defineCommand, type AnyCommand } from '../types.js';
import { numericSetting, ok, saveSettings } from './shared.js';
import { UserError } from '../errors.js';
import { DEFAULT_SETTINGS, type GuildSettings } from '../../../engine/settings.js';

/** Below half the bigrams shared, ordinary replies to the same topic would count as repeats. */
const MIN_SIMILARITY = 50;

/** "min. 5 characters or two words, 80 % similar ignored", or "off": one line for `settings`. */
export function antispamSummary(s: GuildSettings): string {
  const parts = [
    s.antispamMinLength > 0 ? `min. ${s.antispamMinLength} characters or two words` : null,
    s.antispamSimilarity > 0 ? `≥ ${s.antispamSimilarity} % like the previous message ignored` : null,
  ].filter(Boolean);
  return parts.length ? parts.join('; ') : 'off';
}

export const antispamCommands: AnyCommand[] = [
  numericSetting(['unicornia', 'antispam', 'minlength'], 'antispamMinLength', {
    aliases: [],
    min: 0,
    max: 100,
    description: 'Messages earn XP only with two words or this many characters (Nadeko: 5; 0: off, the default)',
    example: 5,
    done: (v) => (v === 0 ? 'Messages of any length earn XP.' : `A message earns XP only if it has two words or at least ${v} characters.`),
  }),
  defineCommand({
    path: ['unicornia', 'antispam', 'similarity'],
    description: "Ignore a message this % similar to the member's previous one (0: off, the default)",
    options: [{ name: 'percent', type: 'integer', required: true, description: `0 (off) or ${MIN_SIMILARITY}–100 (100: only exact repeats), or "default" (0)`, min: 0, max: 100, orDefault: true }] as const,
    example: { percent: 80 },
    permission: 'admin',
    async handler(ctx, args) {
      const percent = args.percent === 'default' ? DEFAULT_SETTINGS.antispamSimilarity : args.percent;
      if (percent > 0 && percent < MIN_SIMILARITY) {
        throw new UserError('bad_argument', `\`percent\` is 0 (off) or ${MIN_SIMILARITY}–100: below ${MIN_SIMILARITY} % ordinary replies on one topic would be ignored as repeats.`);
      }
      await saveSettings(ctx, { antispamSimilarity: percent });
      if (percent === 0) return ok('Repeated messages earn XP again (only the cooldown applies).');
      return ok(
        `A message at least ${percent} % like the member's previous one in this server earns nothing ` +
          '(compared without case, spaces, punctuation and repeated letters).',
      );
    },
  }),
];
