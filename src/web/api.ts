/**
 * The read API `/api/v1/…` (DESIGN §14.3), documented in docs/API.md. JSON with stable field names, snowflakes as
 * strings. A public server is readable without a key; any server with a key of its own (`Authorization: Bearer`).
 * A server that is neither is a 404 that says nothing more. Rate limited per client (the key, else the address),
 * with the standard `RateLimit-*` and `Retry-After` headers.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { LRUCache } from 'lru-cache';
import { levelStats } from '../levels/curve.js';
import type { BoardMember, WebGuildInfo, WebPeriods, WebReads } from './ports.js';
import { boardPeriod, type BoardPeriod } from './periods.js';
import { PERIOD_NAMES } from '../engine/period-names.js';
import { hashApiKey } from './api-keys.js';
import { HIDDEN_NAME } from './html.js';

export interface ApiOptions {
  /** Requests per client per minute. Default 120. */
  perMinute: number;
  /** Members per board page. Default 50; `?limit=` may ask for 1–100. */
  pageSize: number;
  /** The servers' calendars and seasons, for `?period=`; absent: the all-time board only. */
  periods?: WebPeriods;
  /**
   * How long a server's facts and a member's answer are reused, in ms. Default 5 000, as for pages (DESIGN §14.3):
   * answers show stored XP, which moves once per flush, so a bot polling a member costs a lookup, not a rank. 0: never.
   */
  cacheMs: number;
  /** Monotonic ms the reuse is timed by; default `performance.now` (tests inject a clock). */
  now?: () => number;
}

export const DEFAULT_API_OPTIONS: Readonly<Omit<ApiOptions, 'periods' | 'now'>> = Object.freeze({ perMinute: 120, pageSize: 50, cacheMs: 5000 });

type MemberAnswer = ReturnType<typeof memberJson> | null;

/** `?period=` values: the commands' names (DESIGN §15.2), and `all`, an older name of `alltime`. */
const PERIOD_VALUES = [...PERIOD_NAMES, 'all'];

const SNOWFLAKE = /^\d{1,20}$/;

type Failure = { status: number; code: string; message: string };

const NOT_FOUND: Failure = { status: 404, code: 'not_found', message: 'No such server, or its data is not public and no valid key for it was given.' };

function fail(reply: FastifyReply, f: Failure) {
  return reply.code(f.status).send({ error: { code: f.code, message: f.message } });
}

function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  const m = header && /^Bearer\s+(\S+)$/i.exec(header);
  return m ? m[1]! : null;
}

/**
 * The API's view of one member; numbers as numbers, ids as strings, nothing of a hidden member's identity. `xp` is
 * what the board ranks (all-time, or earned in the period); `totalXp` and the level are always all-time.
 */
export function memberJson(m: BoardMember, guild: WebGuildInfo) {
  const s = levelStats(m.totalXp, guild.curve);
  return {
    rank: m.rank,
    userId: m.userId,
    name: m.hidden ? HIDDEN_NAME : m.name,
    avatarUrl: m.hidden ? null : m.avatarUrl,
    hidden: m.hidden,
    level: s.level,
    xp: m.xp,
    totalXp: m.totalXp,
    xpInLevel: s.xpInLevel,
    xpForNextLevel: s.xpNeeded,
  };
}

/** The board a `?period=` names, or the failure to answer with. */
async function periodOf(periods: WebPeriods | undefined, guildId: string, name: string | undefined): Promise<BoardPeriod | Failure> {
  if (name !== undefined && !PERIOD_VALUES.includes(name)) {
    return { status: 400, code: 'bad_period', message: `period must be one of: ${PERIOD_NAMES.join(', ')}.` };
  }
  const board = await boardPeriod(periods, guildId, name === 'all' ? undefined : name);
  if (board) return board;
  return name === 'season'
    ? { status: 400, code: 'no_season', message: 'No season is running in this server.' }
    : { status: 400, code: 'bad_period', message: 'This server has no board for that period.' };
}

/** The period part of an answer: its name and span (ISO instants; null for all-time, and for an end past any date). */
function periodJson(board: BoardPeriod) {
  const c = board.chosen;
  return { period: c?.name ?? 'alltime', periodStart: c ? new Date(c.span.from).toISOString() : null, periodEnd: c && c.span.to < 8.64e15 ? new Date(c.span.to).toISOString() : null };
}

export function apiRoutes(reads: WebReads, options: Partial<ApiOptions> = {}) {
  const { perMinute, pageSize, periods, cacheMs, now } = { ...DEFAULT_API_OPTIONS, ...options };
  // Keyed by what a client can type (ids, slugs): bounded by count. lru-cache reads a ttl of 0 as "forever". It
  // also keeps its last clock reading for `ttlResolution` ms (until a timer clears it): two requests within that
  // time saw the first one's clock, so an answer could outlive its 5 s. Read the clock on every lookup instead.
  const timing = { ttl: Math.max(cacheMs, 1), ttlResolution: 0, ...(now ? { perf: { now } } : {}) };
  const guilds = new LRUCache<string, { info: WebGuildInfo | null }>({ max: 10_000, ...timing });
  const members = new LRUCache<string, { answer: MemberAnswer }>({ max: 100_000, ...timing });

  async function reuse<V extends object>(cache: LRUCache<string, V>, key: string, load: () => Promise<V>): Promise<V> {
    if (cacheMs <= 0) return load();
    let value = cache.get(key);
    if (value === undefined) {
      value = await load();
      cache.set(key, value);
    }
    return value;
  }

  /** The server a request may read, or why not. A key decides only for its own server (keys are never reused). */
  async function access(request: FastifyRequest, key: string): Promise<WebGuildInfo | Failure> {
    const { info: guild } = await reuse(guilds, key, async () => ({ info: await reads.guild(key) }));
    const token = bearer(request);
    if (token !== null) {
      const owner = await reads.apiKeyGuild(hashApiKey(token));
      if (owner === null) return { status: 401, code: 'bad_key', message: 'That API key is not valid (revoked, or mistyped).' };
      if (guild && owner === guild.guildId) return guild;
    }
    return guild?.isPublic ? guild : NOT_FOUND;
  }

  return async (app: FastifyInstance) => {
    await app.register(
      async (api) => {
        await api.register(rateLimit, {
          max: perMinute,
          timeWindow: 60_000,
          enableDraftSpec: true,
          keyGenerator: (request) => {
            const token = bearer(request);
            return token ? `key:${hashApiKey(token)}` : `ip:${request.ip}`;
          },
          errorResponseBuilder: (_request, context) => ({
            statusCode: 429,
            error: { code: 'rate_limited', message: `Too many requests: at most ${context.max} a minute. Retry after ${context.after}.` },
          }),
        });
        api.addHook('onSend', async (_request, reply) => {
          reply.header('cache-control', 'no-store').header('x-content-type-options', 'nosniff');
        });

        api.get<{ Params: { guild: string }; Querystring: { page?: string; limit?: string; period?: string } }>('/guilds/:guild/board', async (request, reply) => {
          const guild = await access(request, request.params.guild);
          if ('status' in guild) return fail(reply, guild);
          const { page = '1', limit = String(pageSize) } = request.query;
          const board = await periodOf(periods, guild.guildId, request.query.period);
          if ('status' in board) return fail(reply, board);
          const id = board.chosen?.id ?? null;
          const p = /^\d{1,9}$/.test(page) ? Number(page) : 0;
          const n = /^\d{1,3}$/.test(limit) ? Number(limit) : 0;
          if (p < 1) return fail(reply, { status: 400, code: 'bad_page', message: 'page must be a whole number from 1.' });
          if (n < 1 || n > 100) return fail(reply, { status: 400, code: 'bad_limit', message: 'limit must be a whole number from 1 to 100.' });
          const count = await reads.memberCount(guild.guildId, id);
          return {
            guild: guildJson(guild, count),
            ...periodJson(board),
            page: p,
            limit: n,
            pages: Math.max(1, Math.ceil(count / n)),
            members: (await reads.board(guild.guildId, (p - 1) * n, n, id)).map((m) => memberJson(m, guild)),
          };
        });

        api.get<{ Params: { guild: string; user: string }; Querystring: { period?: string } }>('/guilds/:guild/members/:user', async (request, reply) => {
          const guild = await access(request, request.params.guild);
          if ('status' in guild) return fail(reply, guild);
          const board = await periodOf(periods, guild.guildId, request.query.period);
          if ('status' in board) return fail(reply, board);
          const user = request.params.user;
          const id = board.chosen?.id ?? null;
          const { answer: member } = SNOWFLAKE.test(user)
            ? await reuse(members, `${guild.guildId}\n${user}\n${id ?? ''}`, async () => {
                const m = await reads.member(guild.guildId, user, id);
                return { answer: m && memberJson(m, guild) };
              })
            : { answer: null };
          if (!member) {
            const message = board.chosen ? `This member has earned no XP in this server ${board.chosen.tab.within} (or left it).` : 'This member has no XP in this server (or left it).';
            return fail(reply, { status: 404, code: 'member_not_found', message });
          }
          return { guildId: guild.guildId, ...periodJson(board), ...member };
        });

        api.get<{ Params: { guild: string } }>('/guilds/:guild/rewards', async (request, reply) => {
          const guild = await access(request, request.params.guild);
          if ('status' in guild) return fail(reply, guild);
          return {
            guildId: guild.guildId,
            roles: (await reads.rewardRoles(guild.guildId)).map((r) => ({
              level: r.level,
              roleId: r.roleId,
              name: r.name,
              color: r.color === 0 ? null : `#${r.color.toString(16).padStart(6, '0')}`,
              action: r.remove ? 'remove' : 'give',
            })),
          };
        });

        api.setNotFoundHandler(async (_request, reply) => fail(reply, { status: 404, code: 'no_route', message: 'No such API route; docs/API.md lists them.' }));
      },
      { prefix: '/api/v1' },
    );
  };
}

function guildJson(guild: WebGuildInfo, memberCount: number) {
  return { id: guild.guildId, name: guild.name || null, slug: guild.slug, iconUrl: guild.iconUrl, public: guild.isPublic, memberCount };
}
