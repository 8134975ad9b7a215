/**
 * `unicornia channels …`: a channel's (or category's) own XP per message and cooldown (DESIGN §2.1). Nadeko's
 * `.xprate #channel <amount> <minutes>` and `.xpratereset #channel` answer as prefix aliases, in Nadeko's units.
 */
import { defineCommand, type AnyCommand, type CommandContext, type ResolvedChannel } from '../types.js';
import { changeRules, ok, requireGuild } from './shared.js';
import { UserError } from '../errors.js';
import { fitLines, LIMITS } from '../../limits.js';
import type { ChannelRate, GuildRules } from '../../../engine/settings.js';

/** Nadeko's name for the command; its cooldown is in minutes and a cooldown of 0 means no XP, as in Nadeko. */
const NADEKO_ALIAS = 'xprate';
const MAX_COOLDOWN_SECONDS = 86_400;
const MAX_NADEKO_MINUTES = 1440;

/** "5 XP, cooldown 30 s", "no XP"; `serverCooldown` is shown for a rate that keeps the server's. */
export function formatChannelRate(rate: ChannelRate, serverCooldown: number): string {
  if (rate.xpPerMessage === 0) return 'no XP';
  const cooldown = rate.cooldownSeconds === null ? `server cooldown (${serverCooldown} s)` : `cooldown ${rate.cooldownSeconds} s`;
  return `${rate.xpPerMessage} XP per message, ${cooldown}`;
}

/** One line per channel with a rate of its own, for `settings`, `exclusions list` and `channels list`. */
export function channelRateLines(rules: GuildRules): string[] {
  return [...rules.channelRates].map(([id, rate]) => `<#${id}>: ${formatChannelRate(rate, rules.settings.cooldownSeconds)}`);
}

function checkChannel(channel: ResolvedChannel): void {
  if (channel.kind === 'other') throw new UserError('bad_argument', `<#${channel.id}> is neither a text, voice or forum channel nor a category: messages there earn no XP anyway.`);
}

/** The cooldown typed: seconds (whole) in Unicornia's form, minutes in Nadeko's; null when none was given. */
function cooldownSeconds(ctx: CommandContext, typed: number | undefined): number | null {
  if (typed === undefined) return null;
  if (ctx.invokedAs === NADEKO_ALIAS) {
    if (typed > MAX_NADEKO_MINUTES) throw new UserError('bad_argument', `\`cooldown\` is in minutes here (as in Nadeko): 0–${MAX_NADEKO_MINUTES}.`);
    return Math.ceil(typed * 60);
  }
  if (!Number.isInteger(typed)) throw new UserError('bad_argument', `\`cooldown\` is a whole number of seconds, 0–${MAX_COOLDOWN_SECONDS}.`);
  return typed;
}

const channelRate = defineCommand({
  path: ['unicornia', 'channels', 'rate'],
  aliases: [[NADEKO_ALIAS]],
  description: 'XP per message and cooldown in one channel or category (0 XP: none there)',
  options: [
    { name: 'channel', type: 'channel', required: true, description: 'The channel or category; threads and forum posts follow their parent' },
    { name: 'xp', type: 'integer', required: true, description: 'XP per counted message there, 0–1000 (0: no XP there), or "default" (the server\'s)', min: 0, max: 1000, orDefault: true },
    { name: 'cooldown', type: 'number', description: "Seconds between counted messages there, 0–86400, or \"default\" (the server's)", min: 0, max: MAX_COOLDOWN_SECONDS, orDefault: true },
  ] as const,
  example: { channel: '#memes', xp: 3, cooldown: 120 },
  permission: 'admin',
  async handler(ctx, { channel, xp, cooldown }) {
    if (xp === 'default') return resetRate(ctx, { channel });
    checkChannel(channel);
    let seconds = cooldown === 'default' ? null : cooldownSeconds(ctx, cooldown);
    // Nadeko: an amount or a cooldown of 0 gives no XP there.
    const xpPerMessage = ctx.invokedAs === NADEKO_ALIAS && seconds === 0 ? 0 : xp;
    if (xpPerMessage === 0) seconds = null;
    const rate: ChannelRate = { xpPerMessage, cooldownSeconds: seconds };
    await changeRules(ctx, (g) => ctx.app.core.writer.xp.setChannelRate(g, channel.id, rate));
    const rules = (await ctx.app.core.engine.rules(ctx.guildId!));
    const where = channel.kind === 'category' ? `the channels of <#${channel.id}>` : `<#${channel.id}>`;
    if (xpPerMessage === 0) return ok(`Messages and voice in ${where} earn no XP now (it is listed under exclusions).`);
    return ok(`Messages in ${where} (and its threads) now earn ${formatChannelRate(rate, rules.settings.cooldownSeconds)}, before multipliers.`);
  },
});

const channelRateReset = defineCommand({
  path: ['unicornia', 'channels', 'reset'],
  aliases: [['xpratereset']],
  description: "A channel or category earns at the server's XP per message and cooldown again",
  options: [{ name: 'channel', type: 'channel', required: true, description: 'The channel or category' }] as const,
  example: { channel: '#memes' },
  permission: 'admin',
  handler: resetRate,
});

/** `channels reset`, and `channels rate <channel> default`. */
async function resetRate(ctx: CommandContext, { channel }: { channel: ResolvedChannel }): Promise<{ content: string }> {
  let changed = false;
  await changeRules(ctx, async (g) => {
    changed = await ctx.app.core.writer.xp.setChannelRate(g, channel.id, null);
  });
  if (!changed) return { content: `<#${channel.id}> has no XP rate of its own.` };
  return ok(`<#${channel.id}> earns at the server's XP per message and cooldown again.`);
}

const channelRateList = defineCommand({
  path: ['unicornia', 'channels', 'list'],
  aliases: [['xpratelist']],
  description: 'Channels and categories with their own XP per message and cooldown',
  options: [] as const,
  example: {},
  permission: 'admin',
  async handler(ctx) {
    const rules = (await ctx.app.core.engine.rules(requireGuild(ctx)));
    const s = rules.settings;
    return {
      embeds: [
        {
          title: 'XP per channel',
          description: fitLines(channelRateLines(rules), LIMITS.description, '\n') || 'No channel has a rate of its own.',
          footer: { text: `Everywhere else: ${s.xpPerMessage} XP per message, cooldown ${s.cooldownSeconds} s` },
        },
      ],
    };
  },
});

export const channelCommands: AnyCommand[] = [channelRate, channelRateReset, channelRateList] as AnyCommand[];
