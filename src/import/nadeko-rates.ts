/**
 * Nadeko's XP rates (`.xprate`: `GuildXpConfig` per server, `ChannelXpConfig` per channel; amount and a cooldown
 * in minutes, by rate type) into the closest Unicornia settings (DESIGN §8.1):
 *
 * - A rate of 0 XP or a cooldown of 0 means "no XP" (Nadeko 7 replaced its channel exclusions with it): a channel
 *   becomes an excluded channel; the server's text rate becomes 0 XP per message, its voice rate 0 voice XP.
 * - The server's text rate → XP per message and the cooldown (minutes → seconds); its voice rate → voice XP per
 *   minute (Nadeko's voice cooldown is always one minute, like Unicornia's).
 * - A channel's text rate → that channel's own XP per message and cooldown (DESIGN §2.1.1).
 * - Everything with no exact Unicornia equivalent (a channel's own voice rate, image XP) is skipped with its
 *   reason, so the summary names it with its row count.
 */
import { NADEKO_RATE_TYPES, type NadekoRateRow } from './nadeko-reader.js';
import type { ChannelRateImport, ExclusionImport, GuildSettingsImport } from '../storage/import-writes.js';
import type { Skip } from './runner.js';

export type RateAction = { setting: GuildSettingsImport } | { exclusion: ExclusionImport } | { channelRate: ChannelRateImport };

export const RATE_SKIPS = {
  channelVoiceRate: "a channel's own voice XP: Unicornia's per-channel XP is for messages (voice XP is the server's)",
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
      if (!off) actions.push(type === 'voice' ? { skip: RATE_SKIPS.channelVoiceRate } : textRate(r.amount, r.cooldownMinutes, (cooldownSeconds) => ({ channelRate: { guildId: r.guildId, channelId: r.channelId!, rate: { xpPerMessage: r.amount, cooldownSeconds } } })));
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
      actions.push(textRate(r.amount, r.cooldownMinutes, (cooldownSeconds) => ({ setting: { guildId: r.guildId, patch: { xpPerMessage: r.amount, cooldownSeconds } } })));
    }
  }
  const partial = [...offBy.values()].filter((types) => types.size === 1).length;
  const channelRates = actions.filter((a) => 'channelRate' in a).length;
  const notes = [
    ...(partial === 0
      ? []
      : [
          `${partial} ${partial === 1 ? 'channel' : 'channels'} where Nadeko stopped only message XP or only voice XP ${partial === 1 ? 'is' : 'are'} excluded from all XP: a Unicornia exclusion covers both`,
        ]),
    ...(channelRates === 0 ? [] : [`${channelRates} channel XP ${channelRates === 1 ? 'rate becomes' : 'rates become'} per-channel XP and cooldown (see \`unicornia channels list\`)`]),
  ];
  return { actions, notes };
}

/** A text rate within Unicornia's limits (cooldown minutes → whole seconds), or the limit it passes. */
function textRate(amount: number, cooldownMinutes: number, action: (cooldownSeconds: number) => RateAction): RateAction | Skip {
  const cooldownSeconds = Math.round(cooldownMinutes * 60);
  if (amount > MAX_XP_PER_MESSAGE) return { skip: `XP per message above Unicornia's limit of ${MAX_XP_PER_MESSAGE}` };
  if (cooldownSeconds > MAX_COOLDOWN_SECONDS) return { skip: `cooldown above Unicornia's limit of ${MAX_COOLDOWN_SECONDS} s` };
  return action(cooldownSeconds);
}
