/**
 * The public leaderboard pages (DESIGN §14.2): `/g/<guild id or slug>`, `?period=` (a period board, §15.2),
 * `?page=`, `?q=` (search by name), `?member=<id>` (jumps to the member's page and highlights them), `&fragment=1`
 * (rows only, for "load more"). A server that is not public is the same 404 as one that does not exist.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { LRUCache } from 'lru-cache';
import type { BoardMember, WebReads, WebGuildInfo, WebPeriods } from './ports.js';
import { boardLink, boardPage, memberRow, nextHref, notFoundPage } from './html.js';
import { boardPeriod } from './periods.js';
import { ASSETS } from './assets.js';

export interface PageOptions {
  /** Members per page. Default 50. */
  pageSize: number;
  /**
   * How long a rendered page is reused, in ms. Default 5 000. Pages show stored XP, which changes once per flush
   * (30 s), so a busy page is rendered once per interval rather than once per visitor.
   */
  cacheMs: number;
  /** The servers' calendars and seasons, for the period tabs; absent: the all-time board only. */
  periods?: WebPeriods;
}

export const DEFAULT_PAGE_OPTIONS: Readonly<Omit<PageOptions, 'periods'>> = Object.freeze({ pageSize: 50, cacheMs: 5000 });

/** Only the page's own files; avatars and icons from Discord's CDN. */
export const PAGE_CSP =
  "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' https://cdn.discordapp.com https://media.discordapp.net; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const SNOWFLAKE = /^\d{1,20}$/;
const MAX_QUERY = 64;

interface Rendered {
  status: number;
  /** Encoded once when rendered: a cached page is sent to many visitors, each send would encode it again. */
  body: Buffer;
  next: string | null;
  location?: string;
}

export function pageRoutes(reads: WebReads, options: Partial<PageOptions> = {}) {
  const { pageSize, cacheMs, periods } = { ...DEFAULT_PAGE_OPTIONS, ...options };
  // Bounded by bytes: search texts are free-form, so the keys are too. (lru-cache reads a ttl of 0 as "forever".)
  const cache = new LRUCache<string, Rendered>({ maxSize: 32 * 1024 * 1024, sizeCalculation: (r) => r.body.length + 200, ttl: Math.max(cacheMs, 1) });

  const notFound = (): Rendered => ({ status: 404, body: Buffer.from(notFoundPage()), next: null });

  async function render(key: string, query: Record<string, string | undefined>): Promise<Rendered> {
    const guild = await reads.guild(key);
    if (!guild?.isPublic) return notFound();
    const board = await boardPeriod(periods, guild.guildId, query.period);
    if (!board) return notFound();
    const period = board.chosen?.tab ?? null;
    const id = board.chosen?.id ?? null;
    const where = { base: `/g/${encodeURIComponent(guild.slug ?? guild.guildId)}`, period };
    const rows = (members: BoardMember[], highlight: string | null) => Buffer.from(members.map((m) => memberRow(m, guild, highlight, period?.within ?? null)).join(''));
    const fragment = query.fragment === '1';
    const count = await reads.memberCount(guild.guildId, id);
    const pages = Math.max(1, Math.ceil(count / pageSize));
    const view = { ...where, memberCount: count, pages, tabs: board.tabs };
    const q = query.q?.trim().slice(0, MAX_QUERY) ?? '';
    if (q !== '') {
      const members = await reads.search(guild.guildId, q, pageSize, id);
      if (fragment) return { status: 200, body: rows(members, null), next: null };
      return page(guild, { ...view, members, page: null, query: q, highlight: null });
    }
    let highlight: string | null = null;
    if (query.member !== undefined && SNOWFLAKE.test(query.member)) {
      const member = await reads.member(guild.guildId, query.member, id);
      if (member) {
        highlight = member.userId;
        const memberPage = Math.ceil(member.rank / pageSize);
        // Without a page, go to theirs; the fragment scrolls there without the script.
        if (query.page === undefined) {
          return { status: 303, body: Buffer.alloc(0), next: null, location: `${boardLink(where, { page: memberPage, member: member.userId }).replaceAll('&amp;', '&')}#m-${member.userId}` };
        }
      }
    }
    const n = query.page === undefined ? 1 : /^\d{1,9}$/.test(query.page) ? Number(query.page) : 0;
    if (n < 1 || n > pages) return notFound();
    const members = await reads.board(guild.guildId, (n - 1) * pageSize, pageSize, id);
    const next = nextHref({ ...where, page: n, pages });
    if (fragment) return { status: 200, body: rows(members, highlight), next };
    return page(guild, { ...view, members, page: n, query: null, highlight });
  }

  async function page(guild: WebGuildInfo, view: Omit<Parameters<typeof boardPage>[0], 'guild' | 'rewards'>): Promise<Rendered> {
    return { status: 200, body: Buffer.from(boardPage({ guild, rewards: await reads.rewardRoles(guild.guildId), ...view })), next: null };
  }

  function send(reply: FastifyReply, r: Rendered) {
    reply.header('content-security-policy', PAGE_CSP).header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer');
    if (r.location) return reply.code(r.status).header('location', r.location).header('cache-control', 'no-store').send();
    if (r.next) reply.header('x-next', r.next.replaceAll('&amp;', '&'));
    return reply
      .code(r.status)
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', r.status === 200 ? `public, max-age=${Math.floor(cacheMs / 1000)}` : 'no-store')
      .send(r.body);
  }

  return (app: FastifyInstance) => {
    app.get<{ Params: { key: string }; Querystring: Record<string, string | undefined> }>('/g/:key', async (request, reply) => {
      const { key } = request.params;
      const q = request.query;
      const cacheKey = `${key}\n${q.period ?? ''}\n${q.page ?? ''}\n${q.q ?? ''}\n${q.member ?? ''}\n${q.fragment ?? ''}`;
      let rendered = cacheMs > 0 ? cache.get(cacheKey) : undefined;
      if (!rendered) {
        rendered = await render(key, q);
        if (cacheMs > 0) cache.set(cacheKey, rendered);
      }
      return send(reply, rendered);
    });
    for (const a of [ASSETS.css, ASSETS.js]) {
      app.get(a.path, async (_request, reply) =>
        reply.header('content-type', a.type).header('cache-control', 'public, max-age=31536000, immutable').header('x-content-type-options', 'nosniff').send(a.body),
      );
    }
    app.setNotFoundHandler(async (_request, reply) => send(reply, notFound()));
  };
}
