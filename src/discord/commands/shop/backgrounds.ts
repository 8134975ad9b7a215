/**
 * `xpshop backgrounds`: one background per page with its preview, its price or "owned"/"equipped", and buttons
 * ◀ ▶ Buy Equip (a button session: only the invoker may press; disabled on timeout). Opening and paging only read.
 */
import type { APIActionRowComponent, APIComponentInMessageActionRow } from 'discord.js';
import { defineCommand, type AnyCommand, type CommandContext, type ReplyPayload } from '../types.js';
import { usage } from '../registry.js';
import { sessionButtonId } from '../../sessions.js';
import { UserError } from '../errors.js';
import type { ShopBackground } from '../../../config/xp-config.js';
import { boughtText, buyFailure } from './buy.js';
import { previewImage, priceText, unknownKey } from './shared.js';

export const xpshopBackgrounds = defineCommand({
  path: ['xpshop', 'backgrounds'],
  aliases: [['xpshop', 'bgs']],
  description: 'Browse the card backgrounds: preview, buy, equip',
  options: [{ name: 'key', type: 'string', description: 'Start at this background' }] as const,
  example: { key: 'aurora' },
  permission: 'everyone',
  guildOnly: false,
  async handler(ctx, { key }) {
    const shop = ctx.app.shop;
    const userId = ctx.user.id;
    let list = await shop.browseList(userId);
    let index = key ? list.findIndex((b) => b.key === key.trim().toLowerCase()) : 0;
    if (index < 0) throw unknownKey(key!, shop.suggest(key!), usage(xpshopBackgrounds as AnyCommand, ctx.prefix));
    const session = ctx.app.sessions.reserve();
    let payload = await page(ctx, session, list, index, null);
    ctx.app.sessions.open(
      session,
      {
        invokerId: userId,
        current: () => payload,
        press: async (action) => {
          const shown = list[index];
          list = await shop.browseList(userId); // the config may have been reloaded
          index = Math.max(0, shown ? list.findIndex((b) => b.key === shown.key) : 0);
          let notice: string | null = null;
          if (action === 'prev') index = (index - 1 + list.length) % list.length;
          else if (action === 'next') index = (index + 1) % list.length;
          else if (action === 'buy' && shown) {
            const r = await shop.buy(userId, shown.key);
            if (!r.ok) throw new UserError('invalid_state', buyFailure(ctx, shown.key, r));
            notice = boughtText(ctx, shown.name, r.charged, r.balance);
          } else if (action === 'use' && shown) {
            const r = await shop.use(userId, shown.key);
            if (!r.ok) throw new UserError('invalid_state', `You don't own **${shown.name}** yet.`);
            notice = `✅ **${shown.name}** is now your card background.`;
          }
          payload = await page(ctx, session, list, index, notice);
          return payload;
        },
      },
      ctx.edit,
    );
    await ctx.reply(payload);
  },
});

async function page(ctx: CommandContext, session: string, list: ShopBackground[], index: number, notice: string | null): Promise<ReplyPayload> {
  const bg = list[index];
  if (!bg) return { content: 'The shop has no backgrounds right now.' };
  const v = await ctx.app.shop.view(ctx.user.id, bg);
  const status = v.equipped ? '✅ Equipped' : v.owned ? 'Owned' : bg.price < 0 ? 'No longer sold' : 'Not owned';
  const image = await previewImage(bg.preview, bg.key);
  const balance = await ctx.app.shop.balance(ctx.user.id);
  const row: APIActionRowComponent<APIComponentInMessageActionRow> = {
    type: 1,
    components: [
      { type: 2, style: 2, custom_id: sessionButtonId(session, 'prev'), label: '◀', disabled: list.length < 2 },
      { type: 2, style: 2, custom_id: sessionButtonId(session, 'next'), label: '▶', disabled: list.length < 2 },
      { type: 2, style: 3, custom_id: sessionButtonId(session, 'buy'), label: v.buyable ? `Buy · ${bg.price.toLocaleString('en-US')}` : 'Buy', disabled: !v.buyable },
      { type: 2, style: 1, custom_id: sessionButtonId(session, 'use'), label: 'Equip', disabled: !v.owned || v.equipped },
    ],
  };
  return {
    ...(notice ? { content: notice } : { content: '' }),
    embeds: [
      {
        title: bg.name,
        description: [bg.desc, `Key: \`${bg.key}\``].filter(Boolean).join('\n'),
        fields: [
          { name: 'Price', value: priceText(ctx.app, bg), inline: true },
          { name: 'Status', value: status, inline: true },
        ],
        ...(image.url ? { image: { url: image.url } } : {}),
        footer: { text: `Background ${index + 1} / ${list.length} · your balance: ${balance.toLocaleString('en-US')} ${ctx.app.currency.name}` },
        color: 0x8b5cf6,
      },
    ],
    files: image.file ? [image.file] : [],
    components: [row],
  };
}
