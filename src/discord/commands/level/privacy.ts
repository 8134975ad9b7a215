/**
 * `level privacy hide|show` (DESIGN §14.2): a member hides their name and avatar on the web leaderboards of every
 * server (they stay ranked, shown as "hidden member", and search never finds them), or shows them again.
 */
import { defineCommand, type AnyCommand } from '../types.js';

const privacyHide = defineCommand({
  path: ['level', 'privacy', 'hide'],
  aliases: [['level', 'privacy', 'web', 'hide']],
  description: 'Hide your name and avatar on web leaderboards (you stay ranked as "hidden member")',
  options: [] as const,
  example: {},
  permission: 'everyone',
  async handler(ctx) {
    const changed = await ctx.app.core.writer.web.setHidden(ctx.user.id, true, ctx.app.clock.wallNow());
    return {
      ephemeral: true,
      content: `🙈 ${changed ? 'Done: web' : 'Already: web'} leaderboards show you as "hidden member" (your rank and XP stay; your name and avatar do not, and search does not find you). Undo with \`level privacy show\`.`,
    };
  },
});

const privacyShow = defineCommand({
  path: ['level', 'privacy', 'show'],
  aliases: [['level', 'privacy', 'web', 'show']],
  description: 'Show your name and avatar on web leaderboards again (the default)',
  options: [] as const,
  example: {},
  permission: 'everyone',
  async handler(ctx) {
    const changed = await ctx.app.core.writer.web.setHidden(ctx.user.id, false, ctx.app.clock.wallNow());
    return { ephemeral: true, content: `👀 ${changed ? 'Done: web' : 'Already: web'} leaderboards show your name and avatar.` };
  },
});

export const privacyCommands: AnyCommand[] = [privacyHide, privacyShow] as AnyCommand[];
