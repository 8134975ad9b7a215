/** `xpshop owned`: the backgrounds a user owns, the equipped one marked. Read only. */
import { defineCommand } from '../types.js';

export const xpshopOwned = defineCommand({
  path: ['xpshop', 'owned'],
  aliases: [['xpshop', 'inventory']],
  description: 'The card backgrounds you own',
  options: [] as const,
  example: {},
  permission: 'everyone',
  guildOnly: false,
  async handler(ctx) {
    const items = await ctx.app.shop.owned(ctx.user.id);
    const lines = items.map((i) => {
      const name = i.bg ? `**${i.bg.name}** (\`${i.key}\`)` : `\`${i.key}\` (no longer in the shop)`;
      return `${i.equipped ? '✅' : '▫️'} ${name}${i.equipped ? ' — equipped' : ''}`;
    });
    return {
      embeds: [
        {
          title: `${ctx.user.displayName}'s backgrounds`,
          description: lines.join('\n'),
          footer: { text: `Equip one with ${ctx.prefix}xpshop use <key> · browse with ${ctx.prefix}xpshop backgrounds` },
          color: 0x8b5cf6,
        },
      ],
    };
  },
});
