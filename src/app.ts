/**
 * What commands and listeners get: the XP core and the services around it, passed explicitly (no globals), so
 * tests build one with a temporary database, a manual clock and a simulator.
 */
import type { XpCore } from './core.js';
import type { Clock, Scheduler } from './util/clock.js';
import type { Logger } from './util/logger.js';
import type { ButtonSessions } from './discord/sessions.js';
import type { CommandRegistry } from './discord/commands/registry.js';
import type { ResolvedUser } from './discord/commands/types.js';
import type { MemberLevel } from './discord/commands/level/level-info.js';
import type { ImageSource, XpConfigHolder } from './config/xp-config.js';
import type { ShopService } from './shop/shop-service.js';
import type { ClubService } from './clubs/club-service.js';
import type { CardTemplate } from './cards/template.js';
import type { AccentVerdict } from './cards/contrast.js';
import type { RoleQueueWorker } from './discord/role-queue-worker.js';
import type { CommandGate } from './discord/command-gate.js';
import type { Broadcast } from './sharding/broadcast.js';
import type { RoleSync } from './discord/role-sync.js';
import type { GuildPasses } from './discord/passes.js';
import type { Relevel } from './discord/relevel.js';
import type { CurveChartContext, HistoryChartContext } from './cards/index.js';
import type { PrivacyService } from './privacy/privacy-service.js';
import type { RetentionJob } from './privacy/retention.js';
import type { DecayJob, ExemptMembers } from './jobs/decay.js';
import type { GuildCopy } from './storage/web-writes.js';
import type { XpEventAnnouncer } from './jobs/xp-events.js';
import type { SeasonCloser } from './seasons/closer.js';

/** What the card service is asked for (`level check`, a level-up card, an accent check): plain data gathered first. */
export interface CardRequest {
  user: ResolvedUser;
  info: MemberLevel;
  /** The equipped background: a file inside the config's folder, or an http(s) URL. */
  background: ImageSource | null;
  club: { name: string; iconUrl: string | null } | null;
  template: CardTemplate;
  /** '#rrggbb' for the level, rank, ring and bar, drawn only when readable on this card (DESIGN §4.2); null = none. */
  accent: string | null;
  /** Draw the level-up card (the banner above the card); null = the plain card. */
  levelUp: { oldLevel: number } | null;
}

export interface RenderedCard {
  bytes: Buffer;
  format: string;
  /** The renderer's judgement of `accent` on this card; null when none was asked for. */
  accent: AccentVerdict | null;
}

/** Renders XP cards; null (no service, or a failed render) means the embed fallback. */
export interface CardService {
  render(request: CardRequest): Promise<RenderedCard | null>;
  /** The `curve preview` chart (PNG); null when it could not be drawn (the preview then goes without it). */
  curveChart(chart: CurveChartContext): Promise<Buffer | null>;
  /** The `level history` chart (PNG); null when it could not be drawn (the answer then goes without it). */
  historyChart(chart: HistoryChartContext): Promise<Buffer | null>;
  close(): Promise<void>;
}

/** What commands need of the web side (DESIGN §14). */
export interface WebSide {
  /** The address the pages are reached at (WEB_PUBLIC_URL, no trailing slash), for links in replies; null if unknown. */
  publicUrl: string | null;
  /** The server as the gateway last sent it; null when this process does not serve it. */
  guildCopy(guildId: string): GuildCopy | null;
  /** Writes how the server's members look, after its page was turned on; how many were written. */
  backfillProfiles(guildId: string): Promise<number>;
  /** Why a webhook may not be sent to this URL (not https, a refused address, …), or null (DESIGN §14.4). */
  webhookUrlProblem(url: string): Promise<string | null>;
}

export interface AppContext {
  core: XpCore;
  clock: Clock;
  scheduler: Scheduler;
  logger: Logger;
  /** Default prefix (a guild may set its own). */
  defaultPrefix: string;
  ownerIds: ReadonlySet<string>;
  sessions: ButtonSessions;
  registry: CommandRegistry;
  cards: CardService | null;
  /** The currency's name and emoji (from xp_config.yml; follows `xpshop reload`). */
  readonly currency: { name: string; emoji: string };
  /** xp_config.yml as running now (`xpshop reload` swaps it). */
  config: XpConfigHolder;
  /** Backgrounds, wallet reads, purchases; `shop.equippedBackground(userId)` for the card. */
  shop: ShopService;
  /** Clubs; `clubs.clubOf(userId)` for the card. */
  clubs: ClubService;
  /** Applies queued reward-role changes until Discord confirms them; `roleQueue.reads` for `rolerewards`. */
  roleQueue: RoleQueueWorker;
  /** Passes over a whole server that continue after a restart (role sync, re-levelling). */
  passes: GuildPasses;
  /** `rewards sync`: reward roles brought in line with levels. */
  roleSync: RoleSync;
  /** The re-levelling after a curve change. */
  relevel: Relevel;
  /** Exports and erasures of a member's or a server's data (DESIGN §13). */
  privacy: PrivacyService;
  /** The daily erasure of members who left servers with a retention rule (DESIGN §13). */
  retention: RetentionJob;
  /** Announces the start and end of timed XP events (DESIGN §15.5); `check()` after a command started or ended one. */
  xpEvents: XpEventAnnouncer;
  /** Closes seasons when they end (DESIGN §15.3); `check()` after a command started or ended one. */
  seasons: SeasonCloser;
  /** XP decay's daily job (DESIGN §15.4). */
  decay: DecayJob;
  /** Members holding one of some roles (decay's exempt roles), from the gateway's member list. */
  exemptMembers: ExemptMembers;
  web: WebSide;
  /** Closed when shutdown begins: commands then answer that the bot is restarting; running ones are waited for. */
  gate: CommandGate;
  /** Reaches the other bot processes (`xpshop reload`); with one process, nobody. */
  broadcast: Broadcast;
}
