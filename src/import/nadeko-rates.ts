/**
 * Nadeko's XP rates (`.xprate`: `GuildXpConfig` per server, `ChannelXpConfig` per channel; amount and a cooldown
 * in minutes, by rate type) into the closest Unicornia settings (DESIGN §8.1):
 *
 * - A rate of 0 XP or a cooldown of 0 means "no XP" (Nadeko 7 replaced its channel exclusions with it): a channel
 *   becomes an excluded channel; the server's text rate becomes 0 XP per message, its voice rate 0 voice XP.
 * - The server's text rate → XP per message and the cooldown (minutes → seconds); its voice rate → voice XP per
 *   minute (Nadeko's voice cooldown is always one minute, like Unicornia's).
 * - Everything with no exact Unicornia equivalent yet (a channel's own amount or cooldown, image XP) is skipped
 *   with its reason, so the summary names it with its row count.
 */
import { NADEKO_RATE_TYPES, type NadekoRateRow } from './nadeko-reader.js';
import type { ExclusionImport, GuildSettingsImport } from '../storage/import-writes.js';
import type { Skip } from './runner.js';

export type RateAction = { setting: GuildSettingsImport } | { exclusion: ExclusionImport };

export const RATE_SKIPS = {
  channelRate:
    "a channel's own XP amount or cooldown: Unicornia has no per-channel XP or cooldown yet (a later version adds them; re-run the import then)",
  image: 'XP for images (rate type 2): Unicornia gives no XP for images',
} as const;

/** Unicornia's limits (the settings commands'): above them a value is skipped rather than silently changed. */
const MAX_XP_PER_MESSAGE = 1000;
const MAX_COOLDOWN_SECONDS = 86_400;

export interface MappedRates {
  actions: (RateAction | Skip)[];
  notes: string[];
}

export function mapNadekoRates(rows: Iterable<NadekoRateRow | Skip>): MappedRates {
  const actions: (RateAction | Skip)[] = [];
  const offBy = new Map<string, Set<string>>(); // channel → rate types set to no XP
  for (const r of rows) {
    if ('skip' in r) {
      actions.push(r);
      continue;
    }
    const type = NADEKO_RATE_TYPES[r.rateType as keyof typeof NADEKO_RATE_TYPES] as string | undefined;
    const off = r.amount <= 0 || r.cooldownMinutes <= 0;
    if (type === undefined) actions.push({ skip: `unknown rate type ${r.rateType}` });
    else if (type === 'image') actions.push({ skip: RATE_SKIPS.image });
    else if (r.channelId !== null) {
      if (!off) actions.push({ skip: RATE_SKIPS.channelRate });
      else {
        const key = `${r.guildId}:${r.channelId}`;
        offBy.set(key, (offBy.get(key) ?? new Set()).add(type));
        actions.push({ exclusion: { guildId: r.guildId, type: 'channel', itemId: r.channelId } });
      }
    } else if (type === 'voice') {
      actions.push({ setting: { guildId: r.guildId, patch: { voiceXpPerMinute: off ? 0 : r.amount } } });
    } else if (off) {
      actions.push({ setting: { guildId: r.guildId, patch: { xpPerMessage: 0 } } });
    } else {
      const cooldownSeconds = Math.round(r.cooldownMinutes * 60);
      if (r.amount > MAX_XP_PER_MESSAGE) actions.push({ skip: `XP per message above Unicornia's limit of ${MAX_XP_PER_MESSAGE}` });
      else if (cooldownSeconds > MAX_COOLDOWN_SECONDS) actions.push({ skip: `cooldown above Unicornia's limit of ${MAX_COOLDOWN_SECONDS} s` });
      else actions.push({ setting: { guildId: r.guildId, patch: { xpPerMessage: r.amount, cooldownSeconds } } });
    }
  }
  const partial = [...offBy.values()].filter((types) => types.size === 1).length;
  const notes =
    partial === 0
      ? []
      : [
          `${partial} ${partial === 1 ? 'channel' : 'channels'} where Nadeko stopped only message XP or only voice XP ${partial === 1 ? 'is' : 'are'} excluded from all XP: a Unicornia exclusion covers both`,
        ];
  return { actions, notes };
}
