/** `unicornia card …`: the server's defaults for XP cards. */
import { defineCommand, type AnyCommand } from '../types.js';
import { ok, requireGuild, saveSettings } from './shared.js';
import { memberLevel } from '../level/level-info.js';
import { memberCardRequest, renderWithReadableAccent } from '../../member-card.js';
import { accentArg } from '../level/card-color.js';
import { DEFAULT_BACKGROUND_KEY } from '../../../config/xp-config.js';

const cardAccent = defineCommand({
  path: ['unicornia', 'card', 'accent'],
  description: 'Default accent colour of XP cards here (#rrggbb), or "default" for the card\'s own colours',
  options: [{ name: 'color', type: 'string', required: true, description: '#rrggbb or #rgb, or "default"', max: 20 }] as const,
  example: { color: '#6acefa' },
  permission: 'admin',
  async handler(ctx, { color }) {
    const guildId = requireGuild(ctx);
    if (color.trim().toLowerCase() === 'default') {
      await saveSettings(ctx, { cardAccent: null });
      return ok("XP cards here use the card's own colours again (members' own accents still apply).");
    }
    const accent = accentArg(color);
    const app = ctx.app;
    await ctx.defer();
    // Judged on the default background: the one every member has (DESIGN §4.2). Each render judges again on the
    // member's own background, so a member whose background makes it unreadable keeps the template's colours.
    const background = app.shop.backgrounds.get(DEFAULT_BACKGROUND_KEY)?.image ?? null;
    const info = await memberLevel(app, guildId, ctx.user.id);
    const card = await renderWithReadableAccent(app, { ...(await memberCardRequest(app, guildId, ctx.user, info, { background })), accent }, 'the default card');
    await saveSettings(ctx, { cardAccent: accent });
    return {
      content: `✅ XP cards here use the accent \`${accent}\` (contrast ${card.accent!.ratio}:1 on the default card) for members without their own. On a background where it is hard to read, a card keeps its own colours.`,
      files: [{ name: `card.${card.format}`, data: card.bytes }],
    };
  },
});

export const cardCommands: AnyCommand[] = [cardAccent] as AnyCommand[];
