/**
 * A paged list with ◀ ▶ (and optionally "Jump to me") buttons that only the invoker may press: the server
 * leaderboard, the club leaderboard, help. Buffered XP is flushed before each page is read, so pages agree with ranks.
 */
import type { APIActionRowComponent, APIComponentInMessageActionRow, APIEmbed } from 'discord.js';
import type { CommandContext, ReplyPayload } from './commands/types.js';
import { sessionButtonId } from './sessions.js';
import type { Awaitable } from '../engine/ports.js';

export interface PagedList {
  /** Pages there are now (at least 1). */
  pageCount(): Awaitable<number>;
  /** The embed of page `page` of `pages`. */
  render(page: number, pages: number): Awaitable<APIEmbed>;
  /** The page the invoker is on, for a "Jump to me" button; leave out for no such button. */
  invokerPage?(): Awaitable<number | null>;
  /** The pages show stored XP, so buffered XP is written first (default true; `help` reads none). */
  readsXp?: boolean;
}

export async function replyWithPages(ctx: CommandContext, list: PagedList, requestedPage: number): Promise<void> {
  const fresh = () => (list.readsXp === false ? Promise.resolve() : ctx.app.core.flusher.flushForReads());
  await fresh();
  let current = Math.min(requestedPage, await list.pageCount());
  const session = ctx.app.sessions.reserve();
  const render = async (): Promise<ReplyPayload> => {
    const pages = await list.pageCount();
    const row: APIActionRowComponent<APIComponentInMessageActionRow> = {
      type: 1,
      components: [
        { type: 2, style: 2, custom_id: sessionButtonId(session, 'prev'), label: '◀', disabled: current <= 1 },
        { type: 2, style: 2, custom_id: sessionButtonId(session, 'next'), label: '▶', disabled: current >= pages },
        ...(list.invokerPage ? [{ type: 2 as const, style: 1 as const, custom_id: sessionButtonId(session, 'me'), label: 'Jump to me' }] : []),
      ],
    };
    return { embeds: [await list.render(current, pages)], components: [row] };
  };
  let payload = await render();
  const pages = await list.pageCount();
  const first = requestedPage > pages ? { ...payload, content: `There ${pages === 1 ? 'is only 1 page' : `are only ${pages} pages`}; here is page ${pages}.` } : payload;
  ctx.app.sessions.open(
    session,
    {
      invokerId: ctx.user.id,
      current: () => payload,
      press: async (action) => {
        await fresh();
        if (action === 'prev') current = Math.max(1, current - 1);
        else if (action === 'next') current = Math.min(await list.pageCount(), current + 1);
        else if (action === 'me') {
          const mine = (await list.invokerPage?.()) ?? null;
          if (mine === null) return { ...(await render()), content: "You are not on this list yet: earn some XP first." };
          current = mine;
        }
        payload = await render();
        return payload;
      },
    },
    ctx.edit,
  );
  await ctx.reply(first);
}
