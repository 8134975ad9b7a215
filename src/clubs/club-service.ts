/**
 * Clubs over storage: name rules, the icon check (the URL must fetch as an image through the SSRF-safe fetcher),
 * and the reads the card needs. Membership changes go straight to `writer.clubs` (each one transaction that checks
 * the actor's rights inside it).
 *
 * For the card service: `clubOf(userId)` → `{ name, iconUrl }` or null. Fetch `iconUrl` with the SafeFetcher and
 * show the name even when the icon fails.
 */
import type { ClubReadStore } from '../storage/club-reads.js';
import type { Port } from '../storage/ports.js';
import type { SafeFetcher } from '../net/safe-fetch.js';
import { SafeFetchError } from '../net/errors.js';
import { closest } from '../util/suggest.js';

export const CLUB_NAME_MIN = 2;
export const CLUB_NAME_MAX = 20;
const NAME_RE = /^[\p{L}\p{N} _-]+$/u;

export type NameCheck = { ok: true; name: string } | { ok: false; problem: string };

/** Trims and collapses spaces, then checks 2–20 characters of letters, digits, spaces, - and _. */
export function checkClubName(raw: string): NameCheck {
  const name = raw.normalize('NFC').trim().replace(/\s+/g, ' ');
  const length = [...name].length;
  if (length < CLUB_NAME_MIN || length > CLUB_NAME_MAX) return { ok: false, problem: `A club name must be ${CLUB_NAME_MIN}–${CLUB_NAME_MAX} characters long (that one has ${length}).` };
  if (!NAME_RE.test(name)) return { ok: false, problem: 'A club name may only contain letters, digits, spaces, - and _.' };
  if (!/[\p{L}\p{N}]/u.test(name)) return { ok: false, problem: 'A club name needs at least one letter or digit.' };
  return { ok: true, name };
}

export type IconCheck = { ok: true; url: string } | { ok: false; problem: string };

export class ClubService {
  constructor(
    readonly reads: Port<ClubReadStore>,
    private readonly fetcher: SafeFetcher,
  ) {}

  /** The club shown on a user's card, or null. */
  async clubOf(userId: string): Promise<{ name: string; iconUrl: string | null } | null> {
    const club = await this.reads.clubOfUser(userId);
    return club ? { name: club.name, iconUrl: club.iconUrl } : null;
  }

  /** The closest existing club name, for "did you mean". */
  async suggest(name: string): Promise<string | null> {
    return closest(name, (await this.reads.names()).map((n) => n.name));
  }

  /** Fetches the URL safely; it must be an http(s) link to a PNG, JPEG, GIF or WebP image. */
  async checkIcon(raw: string): Promise<IconCheck> {
    const url = raw.trim().replace(/^<(.+)>$/, '$1');
    if (url.length > 500) return { ok: false, problem: 'That link is too long (500 characters at most).' };
    if (!/^https?:\/\//i.test(url)) return { ok: false, problem: 'The icon must be an http(s) link to an image, like `https://example.com/icon.png`.' };
    try {
      await this.fetcher.fetchImage(url);
      return { ok: true, url: new URL(url).href };
    } catch (error) {
      // The address a name resolved to stays in the log: telling users would let them map the bot's network.
      if (error instanceof SafeFetchError) {
        const reason = error.code === 'blocked_address' ? 'the link points to a private or local address' : error.message;
        return { ok: false, problem: `I can't use that icon: ${reason}.` };
      }
      throw error;
    }
  }
}
