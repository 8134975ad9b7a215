/**
 * Level-up announcements (DESIGN §2.4.3): where they go, whether they ping, plain text or an embed and its parts, and
 * a preview. Every change is checked with the whole design it leads to, so no saved combination can produce a message
 * Discord refuses.
 */
import { defineCommand, type AnyCommand, type CommandContext } from '../types.js';
import { changeRules, formerPath, ok, oldPath, requireGuild, saveSettings } from './shared.js';
import { UserError } from '../errors.js';
import { DEFAULT_SETTINGS, type AnnounceMode, type AnnounceStyle, type GuildSettings } from '../../../engine/settings.js';
import { DEFAULT_EMBED_TITLE, TEMPLATE_PLACEHOLDERS, WORST_CASE_NOTE, designProblems, unknownPlaceholders } from '../../announcement.js';
import { SLASH, shown, usage } from '../registry.js';
import { fitLines, LIMITS } from '../../limits.js';
import { accentColorSchema } from '../../../cards/contrast.js';
import { memberLevel } from '../level/level-info.js';
import { totalXpForLevel } from '../../../levels/curve.js';
import { levelUpMessage } from '../../level-up-message.js';

const levelupWhere = defineCommand({
  path: ['levelup', 'where'],
  aliases: [formerPath('levelup', 'where'), oldPath('levelupmessages')],
  description: 'Where level-ups are announced: off, channel (where they chatted), fixed (one channel) or dm',
  options: [
    { name: 'mode', type: 'string', required: true, description: 'off, channel, fixed or dm, or default (channel)', choices: ['off', 'channel', 'fixed', 'dm', 'default'] },
    { name: 'channel', type: 'channel', description: 'The channel, for fixed' },
    { name: 'ping', type: 'boolean', description: 'Mention the member: true or false, or "default" (false)', orDefault: true },
  ] as const,
  example: { mode: 'fixed', channel: '#level-ups', ping: false },
  permission: 'admin',
  async handler(ctx, { mode, channel, ping }) {
    const m = (mode === 'default' ? DEFAULT_SETTINGS.announceMode : mode) as AnnounceMode;
    const path = ctx.prefix + levelupWhere.path.join(' ');
    const use = ctx.prefix === SLASH ? `${path} mode:fixed channel:#channel` : `${path} fixed #channel`;
    if (m === 'fixed' && !channel) throw new UserError('missing_argument', 'Mode `fixed` needs a channel to announce in.', use);
    if (m === 'fixed' && channel && channel.kind !== 'text' && channel.kind !== 'thread') {
      throw new UserError('bad_argument', `<#${channel.id}> is a ${channel.kind === 'category' ? 'category' : `${channel.kind} channel`}; level-ups need a text channel.`, use);
    }
    if (m !== 'fixed' && channel) throw new UserError('bad_argument', `A channel only goes with mode \`fixed\`; mode \`${m}\` does not use one.`, use);
    const patch: Partial<GuildSettings> = { announceMode: m };
    if (channel) patch.announceChannelId = channel.id;
    if (ping !== undefined) patch.announcePing = ping === 'default' ? DEFAULT_SETTINGS.announcePing : ping;
    await saveSettings(ctx, patch);
    if (m === 'off') return ok('Level-ups are not announced. Rewards still apply.');
    const where = { channel: 'in the channel where the member chatted (voice level-ups: the voice channel)', fixed: `in <#${channel?.id}>`, dm: "in the member's DMs" }[m];
    const pings = (await ctx.app.core.engine.rules(ctx.guildId!)).settings.announcePing;
    // Saved anyway (the admin may fix the permission next), but said now: an announcement that cannot be posted is
    // only logged, so a wrong channel would otherwise go unnoticed until someone asks where their level-ups went.
    const problem = m === 'fixed' && channel ? await ctx.channelProblem(channel.id) : null;
    const warn = problem ? `\n⚠️ But I can't post in <#${channel!.id}>: ${problem}. Level-ups are not announced until that is fixed.` : '';
    return ok(`Level-ups are announced ${where}, ${pings ? 'mentioning the member' : 'without pinging anyone'}.${warn}`);
  },
});

/** A template typed by an admin: trimmed, with no placeholder the bot does not know. */
function templateArg(text: string): string {
  const t = text.trim();
  const unknown = unknownPlaceholders(t);
  if (unknown.length) {
    throw new UserError('bad_argument', `Unknown placeholder${unknown.length > 1 ? 's' : ''} ${unknown.map((p) => `\`${shown(p, 20)}\``).join(', ')}. Use ${TEMPLATE_PLACEHOLDERS.map((p) => `\`${p}\``).join(' ')}.`);
  }
  return t;
}

/**
 * Refuses a change unless the design it leads to (the settings with `patch`, the per-level texts with `levelText`)
 * can never produce a message Discord refuses.
 */
async function checkDesign(ctx: CommandContext, patch: Partial<GuildSettings>, levelText?: { level: number; text: string }): Promise<void> {
  const rules = await ctx.app.core.engine.rules(requireGuild(ctx));
  const s = { ...rules.settings, ...patch };
  const perLevel = new Map(rules.levelUpMessages);
  if (levelText) perLevel.set(levelText.level, levelText.text);
  const problems = designProblems({ style: s.announceStyle, texts: [s.announceTemplate, ...perLevel.values()], title: s.announceTitle, footer: s.announceFooter });
  if (problems.length) throw new UserError('bad_argument', `${problems.join(' ')} Nothing was changed.\n${WORST_CASE_NOTE}`);
}

/** Saves `patch` only if the design it leads to can never produce a message Discord refuses. */
async function saveDesign(ctx: CommandContext, patch: Partial<GuildSettings>): Promise<void> {
  await checkDesign(ctx, patch);
  await saveSettings(ctx, patch);
}

const isDefault = (v: string) => v.trim().toLowerCase() === 'default';
const isNone = (v: string) => v.trim().toLowerCase() === 'none';

const levelupMessage = defineCommand({
  path: ['levelup', 'message'],
  aliases: [formerPath('levelup', 'message'), oldPath('levelupmessage')],
  description: 'Level-up text ({user} {level} {rank} {nextreward} …); "default" resets it',
  options: [{ name: 'template', type: 'string', required: true, description: 'The message, or "default"', rest: true, max: 4000 }] as const,
  example: { template: 'GG {user}, you reached level {level}! Next: {nextreward}' },
  permission: 'admin',
  async handler(ctx, { template }) {
    if (!template.trim()) throw new UserError('bad_argument', 'The text is empty. Write the announcement, or `default` to go back to the default text.');
    if (isDefault(template)) {
      await saveDesign(ctx, { announceTemplate: null });
      return ok('Level-up announcements use the default text again.');
    }
    await saveDesign(ctx, { announceTemplate: templateArg(template) });
    return ok('Level-up text saved; `levelup preview` shows a level-up as members will see it.');
  },
});

/** Per-level texts a server may keep: enough for every milestone, few enough to list on one page. */
export const MAX_LEVEL_TEXTS = 50;

const levelupLevel = defineCommand({
  path: ['levelup', 'level'],
  description: 'A special level-up text for reaching one level; "default" goes back to the server\'s text',
  options: [
    { name: 'level', type: 'integer', required: true, description: 'The level, 1–100000', min: 1, max: 100_000 },
    { name: 'template', type: 'string', required: true, description: 'The message ({user} {level} {rank} …), or "default"', rest: true, max: 4000 },
  ] as const,
  example: { level: 10, template: '🏆 {user} reached level {level} and joins the regulars!' },
  permission: 'admin',
  async handler(ctx, { level, template }) {
    if (!template.trim()) throw new UserError('bad_argument', `The text is empty. Write level ${level}'s announcement, or \`default\` to use the server's text there.`);
    if (isDefault(template)) {
      let removed = false;
      await changeRules(ctx, async (g) => {
        removed = await ctx.app.core.writer.xp.setLevelUpMessage(g, level, null);
      });
      return removed ? ok(`Level ${level} uses the server's level-up text again.`) : { content: `Level ${level} has no level-up text of its own.` };
    }
    const text = templateArg(template);
    const own = (await ctx.app.core.engine.rules(requireGuild(ctx))).levelUpMessages;
    if (!own.has(level) && own.size >= MAX_LEVEL_TEXTS) {
      throw new UserError('bad_argument', `A server may keep at most ${MAX_LEVEL_TEXTS} per-level texts (1–${MAX_LEVEL_TEXTS}); remove one with \`levelup level <n> default\` first. Nothing was changed.`);
    }
    await checkDesign(ctx, {}, { level, text });
    await changeRules(ctx, (g) => ctx.app.core.writer.xp.setLevelUpMessage(g, level, text));
    return ok(`Members reaching level ${level} get this text instead of the server's (also when they pass it in one jump, unless a higher level with its own text is passed too); \`levelup preview ${level}\` shows it.`);
  },
});

const levelupLevels = defineCommand({
  path: ['levelup', 'levels'],
  description: 'List the levels with a level-up text of their own',
  options: [] as const,
  example: {},
  permission: 'admin',
  async handler(ctx) {
    const own = (await ctx.app.core.engine.rules(requireGuild(ctx))).levelUpMessages;
    if (own.size === 0) return { content: `No level has a level-up text of its own. Add one with \`${usage(levelupLevel as AnyCommand, ctx.prefix)}\`.` };
    const lines = [...own].map(([level, text]) => `**Level ${level.toLocaleString('en-US')}**: ${shown(text, 120)}`);
    return { embeds: [{ title: 'Level-up texts per level', description: fitLines(lines, LIMITS.description), footer: { text: 'When one jump passes several of these levels, the highest one\'s text is sent.' } }] };
  },
});

const levelupStyle = defineCommand({
  path: ['levelup', 'style'],
  aliases: [formerPath('levelup', 'style')],
  description: 'Level-up messages as plain text or as an embed (title, colour, avatar, footer)',
  options: [{ name: 'style', type: 'string', required: true, description: 'text or embed, or default (text)', choices: ['text', 'embed', 'default'] }] as const,
  example: { style: 'embed' },
  permission: 'admin',
  async handler(ctx, args) {
    const style = args.style === 'default' ? DEFAULT_SETTINGS.announceStyle : args.style;
    await saveDesign(ctx, { announceStyle: style as AnnounceStyle });
    return ok(style === 'embed' ? `Level-ups are sent as an embed, the text as its description. Title, colour, thumbnail and footer: \`levelup title/color/thumbnail/footer\`; \`levelup preview\` shows it.` : 'Level-ups are sent as plain text.');
  },
});

const levelupTitle = defineCommand({
  path: ['levelup', 'title'],
  aliases: [formerPath('levelup', 'title')],
  description: `Embed title (placeholders work); "none" for no title, "default" for "${DEFAULT_EMBED_TITLE}"`,
  options: [{ name: 'title', type: 'string', required: true, description: 'The title, "none" or "default"', rest: true, max: 256 }] as const,
  example: { title: '{username} levelled up!' },
  permission: 'admin',
  async handler(ctx, { title }) {
    const value = isDefault(title) ? null : isNone(title) ? '' : templateArg(title);
    await saveDesign(ctx, { announceTitle: value });
    return ok(value === null ? `Level-up embeds have the title "${DEFAULT_EMBED_TITLE}" again.` : value === '' ? 'Level-up embeds have no title.' : 'Level-up embed title saved.');
  },
});

const levelupFooter = defineCommand({
  path: ['levelup', 'footer'],
  aliases: [formerPath('levelup', 'footer')],
  description: 'Embed footer (placeholders work); "none" or "default" for no footer',
  options: [{ name: 'footer', type: 'string', required: true, description: 'The footer, or "none"', rest: true, max: 2048 }] as const,
  example: { footer: '{guild} · rank #{rank}' },
  permission: 'admin',
  async handler(ctx, { footer }) {
    const value = isDefault(footer) || isNone(footer) ? null : templateArg(footer);
    await saveDesign(ctx, { announceFooter: value });
    return ok(value === null ? 'Level-up embeds have no footer.' : 'Level-up embed footer saved.');
  },
});

const levelupColor = defineCommand({
  path: ['levelup', 'color'],
  aliases: [['levelup', 'colour'], formerPath('levelup', 'color'), formerPath('levelup', 'colour')],
  description: 'Embed colour (#rrggbb), or "default"',
  options: [{ name: 'color', type: 'string', required: true, description: '#rrggbb or #rgb, or "default"', max: 20 }] as const,
  example: { color: '#f59e0b' },
  permission: 'admin',
  async handler(ctx, { color }) {
    if (isDefault(color)) {
      await saveSettings(ctx, { announceColor: null });
      return ok('Level-up embeds have the default colour again.');
    }
    const parsed = accentColorSchema.safeParse(color);
    if (!parsed.success) throw new UserError('bad_argument', `\`${shown(color, 20)}\` is not a colour: write it as #rrggbb or #rgb (e.g. #f59e0b), or \`default\`.`);
    await saveSettings(ctx, { announceColor: parseInt(parsed.data.slice(1), 16) });
    return ok(`Level-up embeds are coloured \`${parsed.data}\`.`);
  },
});

const levelupThumbnail = defineCommand({
  path: ['levelup', 'thumbnail'],
  aliases: [formerPath('levelup', 'thumbnail')],
  description: "Show the member's avatar in the level-up embed (default on)",
  options: [{ name: 'enabled', type: 'boolean', required: true, description: 'true or false, or "default" (true)', orDefault: true }] as const,
  example: { enabled: false },
  permission: 'admin',
  async handler(ctx, args) {
    const enabled = args.enabled === 'default' ? DEFAULT_SETTINGS.announceThumbnail : args.enabled;
    await saveSettings(ctx, { announceThumbnail: enabled });
    return ok(enabled ? "Level-up embeds show the member's avatar." : "Level-up embeds don't show the member's avatar.");
  },
});

const levelupCard = defineCommand({
  path: ['levelup', 'card'],
  description: 'Attach the member\'s XP card under a "level up" banner to level-up messages (default off)',
  options: [{ name: 'card', type: 'string', required: true, description: 'on, off or default (off)', choices: ['on', 'off', 'default'] }] as const,
  example: { card: 'on' },
  permission: 'admin',
  async handler(ctx, { card }) {
    const on = card === 'on';
    await saveSettings(ctx, { announceCard: on });
    if (!on) return ok('Level-up messages go without a card image.');
    // Saved anyway: the bot owner may turn card images on later, and the setting then takes effect.
    const none = ctx.app.cards ? '' : '\n⚠️ This bot draws no card images at the moment, so messages go without one until its owner turns cards on.';
    return ok(`Level-up messages carry the member's XP card under a "level up" banner (when it cannot be drawn in time, the message goes without it); \`levelup preview\` shows it.${none}`);
  },
});

const levelupPreview = defineCommand({
  path: ['levelup', 'preview'],
  aliases: [formerPath('levelup', 'preview'), oldPath('levelupmessage', 'preview')],
  description: 'Show exactly what a level-up message looks like, for you (default: your next level)',
  options: [{ name: 'level', type: 'integer', description: 'The level reached, 1–100000 (default: your next one)', min: 1, max: 100_000 }] as const,
  example: { level: 10 },
  permission: 'admin',
  async handler(ctx, { level }) {
    const guildId = requireGuild(ctx);
    const app = ctx.app;
    const rules = await app.core.engine.rules(guildId);
    // Drawing the card can take longer than Discord waits for a first answer.
    if (rules.settings.announceCard && app.cards) await ctx.defer();
    const reached = level ?? (await memberLevel(app, guildId, ctx.user.id)).level + 1;
    // The rewards of exactly that level, as a member reaching it from the level below would get them.
    const at = rules.roleRewards.filter((r) => r.level === reached);
    const effect = {
      guildId,
      userId: ctx.user.id,
      oldLevel: reached - 1,
      newLevel: reached,
      channelId: ctx.channelId,
      source: 'message' as const,
      rolesToAdd: at.filter((r) => !r.remove).map((r) => r.roleId),
      rolesToRemove: at.filter((r) => r.remove).map((r) => r.roleId),
      currencyPaid: rules.currencyRewards.find((c) => c.level === reached)?.amount ?? 0,
      totalXp: totalXpForLevel(reached, rules.settings.curve),
    };
    const s = rules.settings;
    const message = await levelUpMessage(app, effect, {
      guildName: ctx.guildName ?? 'this server',
      roleName: (id) => ctx.roleName(id),
      user: ctx.user,
      dm: s.announceMode === 'dm',
    });
    if (s.announceMode !== 'off') return message;
    // Still shown, so a message can be designed before it is switched on; the note says why members see nothing.
    const note = '-# Level-ups are off here (`levelup where`); this is what they would look like:';
    return { ...message, content: message.content ? `${note}\n${message.content}` : note };
  },
});

export const announceCommands: AnyCommand[] = [levelupWhere, levelupMessage, levelupLevel, levelupLevels, levelupStyle, levelupTitle, levelupFooter, levelupColor, levelupThumbnail, levelupCard, levelupPreview] as AnyCommand[];
