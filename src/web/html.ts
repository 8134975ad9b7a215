/**
 * The leaderboard page as HTML strings (DESIGN §14.2): rendered on the server, every value escaped, no inline
 * style or script (the page's Content-Security-Policy allows only its own files). Progress is a `<progress>`
 * element and role colours are SVG fills, so no style attribute is needed.
 */
import { levelStats } from '../levels/curve.js';
import type { BoardMember, RewardRole, WebGuildInfo } from './ports.js';
import { ASSETS } from './assets.js';
import { isPastPeriod } from '../engine/period-names.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

// One formatter for every number on a page: toLocaleString builds a new one per call.
const NUMBER = new Intl.NumberFormat('en-US');
export const formatNumber = (n: number) => NUMBER.format(n);

export const HIDDEN_NAME = 'hidden member';
export const UNKNOWN_NAME = 'unknown member';

export interface BoardView {
  guild: WebGuildInfo;
  /** The path of this board: /g/<slug or id>. */
  base: string;
  memberCount: number;
  rewards: RewardRole[];
  members: BoardMember[];
  /** 1-based; null for search results. */
  page: number | null;
  pages: number;
  /** The search text, when this is a search. */
  query: string | null;
  /** The member to highlight (?member=). */
  highlight: string | null;
  /** The period shown (DESIGN §15.2); null: all-time. */
  period: PeriodTab | null;
  /** The boards a visitor can switch to (all-time first); empty when the server has no calendar to offer. */
  tabs: PeriodTab[];
}

/** A board tab: the `period` parameter's value ('alltime', 'week', …), what the tab says ('This week'), and the
 * phrase after a number of XP earned in it ('this week', 'in season “Spring”'). */
export interface PeriodTab {
  name: string;
  label: string;
  within: string;
}

function initial(name: string): string {
  const first = [...name.trim()][0];
  return first ? escapeHtml(first.toUpperCase()) : '?';
}

function avatar(url: string | null, name: string, cls: string, size: number): string {
  return url
    ? `<img class="${cls}" src="${escapeHtml(url)}" alt="" width="${size}" height="${size}" loading="lazy" decoding="async">`
    : `<span class="${cls} blank" aria-hidden="true">${initial(name)}</span>`;
}

/**
 * One board row; also what "load more" appends. On a period board the number is the XP earned in the period
 * (`within`: 'this week'), while the level and its progress bar stay the member's all-time ones.
 */
export function memberRow(m: BoardMember, guild: WebGuildInfo, highlight: string | null, within: string | null = null): string {
  const stats = levelStats(m.totalXp, guild.curve);
  const name = m.hidden ? HIDDEN_NAME : (m.name ?? UNKNOWN_NAME);
  const cls = `row${m.rank <= 3 ? ` top${m.rank}` : ''}${m.hidden ? ' hidden' : ''}${m.userId === highlight ? ' me' : ''}`;
  const current = m.userId === highlight ? ' aria-current="true"' : '';
  return `<li class="${cls}" id="m-${m.userId}" data-rank="${m.rank}"${current}><span class="rank">#${formatNumber(m.rank)}</span>${avatar(
    m.hidden ? null : m.avatarUrl,
    m.hidden ? '' : name,
    'avatar',
    40,
  )}<span class="who"><span class="name">${escapeHtml(name)}</span><span class="nums"><span class="level">Level ${formatNumber(stats.level)}</span> · <span class="xp">${formatNumber(m.xp)} XP${within ? ` ${escapeHtml(within)}` : ''}</span></span><progress max="${stats.xpNeeded}" value="${stats.xpInLevel}" title="${formatNumber(stats.xpInLevel)} / ${formatNumber(stats.xpNeeded)} XP to level ${formatNumber(stats.level + 1)}">${Math.floor((stats.xpInLevel / stats.xpNeeded) * 100)}%</progress></span></li>`;
}

function hex(color: number): string {
  return `#${color.toString(16).padStart(6, '0')}`;
}

function rewardList(rewards: RewardRole[]): string {
  if (rewards.length === 0) return '';
  const items = rewards
    .map((r) => {
      // Discord's "no colour" (0) shows as the default grey.
      const fill = r.color === 0 ? '#99aab5' : hex(r.color);
      const name = r.name === null ? 'a role' : escapeHtml(r.name);
      return `<li${r.remove ? ' class="removed"' : ''}><svg width="12" height="12" aria-hidden="true"><circle cx="6" cy="6" r="6" fill="${fill}"/></svg><span class="lv">Level ${formatNumber(r.level)}</span> <span class="role">${name}</span>${r.remove ? ' <span class="note">(removed)</span>' : ''}</li>`;
    })
    .join('');
  return `<details class="rewards" open><summary>Reward roles</summary><ul>${items}</ul></details>`;
}

function link(base: string, params: Record<string, string | number | null>): string {
  const q = Object.entries(params)
    .filter(([, v]) => v !== null && v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');
  return escapeHtml(q ? `${base}?${q}` : base);
}

/** A link within one board: the period stays with every page, search and jump. */
export function boardLink(view: Pick<BoardView, 'base' | 'period'>, params: Record<string, string | number | null>): string {
  return link(view.base, { period: view.period?.name ?? null, ...params });
}

/** The "next page" link the script follows to load more, or null on the last page. */
export function nextHref(view: Pick<BoardView, 'base' | 'page' | 'pages' | 'period'>): string | null {
  return view.page !== null && view.page < view.pages ? boardLink(view, { page: view.page + 1 }) : null;
}

function pager(view: BoardView): string {
  if (view.page === null) return `<nav class="pager"><a href="${boardLink(view, {})}">← Whole leaderboard</a></nav>`;
  const prev = view.page > 1 ? `<a rel="prev" href="${boardLink(view, { page: view.page - 1 })}">← Previous</a>` : '<span></span>';
  const next = nextHref(view);
  return `<nav class="pager">${prev}<span class="where">Page ${formatNumber(view.page)} of ${formatNumber(view.pages)}</span>${next ? `<a rel="next" href="${next}">Next →</a>` : '<span></span>'}</nav>`;
}

function tabBar(view: BoardView): string {
  if (view.tabs.length === 0) return '';
  const current = view.period?.name ?? 'alltime';
  const items = view.tabs
    .map((t) => `<a href="${link(view.base, { period: t.name === 'alltime' ? null : t.name })}"${t.name === current ? ' aria-current="page"' : ''}>${escapeHtml(t.label)}</a>`)
    .join('');
  return `<nav class="tabs" aria-label="Leaderboard period">${items}</nav>`;
}

export function boardPage(view: BoardView): string {
  const { guild } = view;
  const name = escapeHtml(guild.name || 'Server');
  const start = view.members[0]?.rank ?? 1;
  const within = view.period?.within ?? null;
  const rows = view.members.map((m) => memberRow(m, guild, view.highlight, within)).join('');
  const nobody = !view.period
    ? 'Nobody has earned XP here yet.'
    : isPastPeriod(view.period.name)
      ? `Nobody earned XP here ${escapeHtml(within!)}.`
      : `Nobody has earned XP here ${escapeHtml(within!)} yet.`;
  const empty = view.query !== null ? `<p class="empty">Nobody here is called “${escapeHtml(view.query)}”.</p>` : view.members.length === 0 ? `<p class="empty">${nobody}</p>` : '';
  const periodField = view.period ? `<input type="hidden" name="period" value="${escapeHtml(view.period.name)}">` : '';
  const boardBase = boardLink(view, {});
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark">
<title>${name} · leaderboard${view.period ? ` · ${escapeHtml(view.period.label)}` : ''}</title><link rel="stylesheet" href="${ASSETS.css.path}"><script src="${ASSETS.js.path}" defer></script></head>
<body><main>
<header class="top">${avatar(guild.iconUrl, guild.name, 'icon', 64)}<div><h1>${name}</h1><p class="count">${formatNumber(view.memberCount)} ranked member${view.memberCount === 1 ? '' : 's'}${view.period ? ` ${escapeHtml(within!)}` : ''}</p></div></header>
${rewardList(view.rewards)}
${tabBar(view)}
<form class="search" method="get" action="${escapeHtml(view.base)}" role="search">${periodField}<input type="search" name="q" value="${escapeHtml(view.query ?? '')}" placeholder="Search by name" aria-label="Search by name" maxlength="64"><button type="submit">Search</button></form>
<ol class="board" start="${start}" data-base="${boardBase}">${rows}</ol>${empty}
${pager(view)}
</main></body></html>`;
}

/** The page for a server that does not exist, is not public, or a bad address: the same for all three. */
export function notFoundPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark">
<title>Not found</title><link rel="stylesheet" href="${ASSETS.css.path}"></head>
<body><main><h1>Not found</h1><p>There is no public leaderboard at this address.</p></main></body></html>`;
}
