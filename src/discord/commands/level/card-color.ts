/** `level card color`: a member's own accent colour on their XP card, refused when it would be hard to read. */
import { defineCommand } from '../types.js';
import { requireGuild } from '../admin/shared.js';
import { UserError } from '../errors.js';
import { memberLevel } from './level-info.js';
import { memberCardRequest, renderWithReadableAccent } from '../../member-card.js';
import { accentColorSchema } from '../../../cards/contrast.js';

/** '#f6c' or '#ff66cc' → '#ff66cc'; anything else is refused with how to write it. */
export function accentArg(value: string): string {
  const parsed = accentColorSchema.safeParse(value);
  if (!parsed.success) throw new UserError('bad_argument', `\`${value.slice(0, 20)}\` is not a colour: write it as #rrggbb or #rgb (e.g. #ffa3e0 or #fae), or \`default\`.`);
  return parsed.data;
}

export const levelCardColor = defineCommand({
  path: ['level', 'card', 'color'],
  aliases: [['level', 'card', 'colour'], ['level', 'card', 'accent']],
  description: 'The accent colour of your XP card (#rrggbb), or "default"; without a value, shows it',
  options: [{ name: 'color', type: 'string', description: '#rrggbb or #rgb, or "default" for the server\'s', max: 20 }] as const,
  example: { color: '#ffa3e0' },
  permission: 'everyone',
  async handler(ctx, { color }) {
    const guildId = requireGuild(ctx);
    const app = ctx.app;
    const own = await app.shop.accentOf(ctx.user.id);
    const server = (await app.core.engine.rules(guildId)).settings.cardAccent;
    const fallback = server ? `the server's accent \`${server}\`` : "the card's own colours";
    if (color === undefined) {
      return { content: own ? `Your card's accent is \`${own}\` (when it is readable on your background; otherwise ${fallback}).` : `You have no accent of your own: your card uses ${fallback}.` };
    }
    if (color.trim().toLowerCase() === 'default') {
      await app.shop.setAccent(ctx.user.id, null);
      return { content: `✅ Your card uses ${fallback} again.` };
    }
    const accent = accentArg(color);
    await ctx.defer();
    const info = await memberLevel(app, guildId, ctx.user.id);
    const card = await renderWithReadableAccent(app, { ...(await memberCardRequest(app, guildId, ctx.user, info)), accent }, 'your card');
    await app.shop.setAccent(ctx.user.id, accent);
    return {
      content: `✅ Your card's accent is now \`${accent}\` (contrast ${card.accent!.ratio}:1). It follows you to every server; \`default\` goes back to ${fallback}.`,
      files: [{ name: `level.${card.format}`, data: card.bytes }],
    };
  },
});
