/**
 * A paged list with ◀ ▶ (and optionally "Jump to me") buttons that only the invoker may press: the server
 * leaderboard, the club leaderboard, help. Buffered XP is flushed before each page is read, so pages agree with ranks.
 */
import type { APIActionRowComponent, APIComponentInMessageActionRow, APIEmbed } from 'discord.js';
import type { CommandContext, ReplyPayload } from './commands/types.js';
import { sessionButtonId } from './sessions.js';

export interface PagedList {
  /** Pages there are now (at least 1). */
  pageCount(): number;
  /** The embed of page `page` of `pages`. */
  render(page: number, pages: number): APIEmbed;
  /** The page the invoker is on, for a "Jump to me" button; leave out for no such button. */
  invokerPage?(): number | null;
  /** The pages show stored XP, so buffered XP is written first (default true; `help` reads none). */
  readsXp?: boolean;
}

export async function replyWithPages(ctx: CommandContext, list: PagedList, requestedPage: number): Promise<void> {
  const fresh = () => (list.readsXp === false ? Promise.resolve() : ctx.app.core.flusher.flushForReads());
  await fresh();
  let current = Math.min(requestedPage, list.pageCount());
  const session = ctx.app.sessions.reserve();
  const render = (): ReplyPayload => {
    const pages = list.pageCount();
    const row: APIActionRowComponent<APIComponentInMessageActionRow> = {
      type: 1,
      components: [
        { type: 2, style: 2, custom_id: sessionButtonId(session, 'prev'), label: '◀', disabled: current <= 1 },
        { type: 2, style: 2, custom_id: sessionButtonId(session, 'next'), label: '▶', disabled: current >= pages },
        ...(list.invokerPage ? [{ type: 2 as const, style: 1 as const, custom_id: sessionButtonId(session, 'me'), label: 'Jump to me' }] : []),
      ],
    };
    return { embeds: [list.render(current, pages)], components: [row] };
  };
  let payload = render();
  const pages = list.pageCount();
  const first = requestedPage > pages ? { ...payload, content: `There ${pages === 1 ? 'is only 1 page' : `are only ${pages} pages`}; here is page ${pages}.` } : payload;
  ctx.app.sessions.open(
    session,
    {
      invokerId: ctx.user.id,
      current: () => payload,
      press: async (action) => {
        await fresh();
        if (action === 'prev') current = Math.max(1, current - 1);
        else if (action === 'next') current = Math.min(list.pageCount(), current + 1);
        else if (action === 'me') {
          const mine = list.invokerPage?.() ?? null;
          if (mine === null) return { ...render(), content: "You are not on this list yet: earn some XP first." };
          current = mine;
        }
        payload = render();
        return payload;
      },
    },
    ctx.edit,
  );
  await ctx.reply(first);
}
