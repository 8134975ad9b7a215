/**
 * The bot process: a discord.js client wired to the XP core. discord.js lives in `src/discord` only; the engine
 * sees plain events.
 */
import { Client, DefaultRestOptions, Events, GatewayIntentBits, Options, Partials, Status } from 'discord.js';
import type { XpCore } from '../core.js';
import type { AppContext, CardService } from '../app.js';
import type { Clock, Scheduler } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import { CommandRegistry } from './commands/registry.js';
import { allCommands } from './commands/index.js';
import type { AnyCommand } from './commands/types.js';
import { ButtonSessions } from './sessions.js';
import { DiscordLevelUpEffects } from './level-up-effects.js';
import { RoleQueueWorker, type RoleQueueOptions } from './role-queue-worker.js';
import { DEFAULT_ROLE_SYNC_OPTIONS, RoleSync, type RoleSyncOptions } from './role-sync.js';
import { GuildPasses } from './passes.js';
import { Relevel } from './relevel.js';
import { CommandGate } from './command-gate.js';
import { within } from '../util/bounded.js';
import { onMessage } from './listeners/messages.js';
import { onInteraction } from './listeners/interactions.js';
import { onMemberAdd, onMemberRemove } from './listeners/members.js';
import { voiceSnapshot } from './listeners/voice.js';
import { builtinXpConfig, XpConfigHolder } from '../config/xp-config.js';
import { ShopService } from '../shop/shop-service.js';
import { ClubService } from '../clubs/club-service.js';
import { SafeFetcher } from '../net/safe-fetch.js';
import { syncCommands, type CommandApi } from './command-sync.js';
import { PrivacyService } from '../privacy/privacy-service.js';
import { RetentionJob } from '../privacy/retention.js';
import { ShardClaim, ShardClaimError, type ShardClaimOptions } from '../sharding/claim.js';
import { LocalBroadcast, type Broadcast } from '../sharding/broadcast.js';
import type { ShardSet } from '../storage/shard-claims.js';
import { MAX_GUILDS_PER_SHARD } from '../sharding/plan.js';
import type { Awaitable } from '../engine/ports.js';
import type { BotMetrics } from '../ops/metrics.js';
import { guildCopy, WebCopies } from './web-copies.js';
import { WebhookDeliverer, type DelivererOptions } from '../webhooks/deliverer.js';
import { startHistoryRetention } from '../jobs/retention.js';
import { DecayJob } from '../jobs/decay.js';
import { membersWithRoles } from './decay-members.js';
import { XpEventAnnouncer } from '../jobs/xp-events.js';
import { sendXpEventAnnouncement } from './xp-event-announcements.js';
import { SeasonCloser } from '../seasons/closer.js';
import { closedText } from './commands/season/season-text.js';
import { fitText, LIMITS } from './limits.js';

/**
 * The gateway intents each feature needs; the client asks for their union. GuildMembers and MessageContent
 * are privileged: they must be switched on in the developer portal.
 */
export const FEATURE_INTENTS = {
  'servers, channels and roles': [GatewayIntentBits.Guilds],
  'message XP and prefix commands': [GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
  'voice XP': [GatewayIntentBits.GuildVoiceStates],
  'leaderboard hiding members who left, roles back on rejoin': [GatewayIntentBits.GuildMembers],
  'commands in DMs (wallet, shop and clubs are global; server commands say to use a server)': [GatewayIntentBits.DirectMessages],
} as const;

export const INTENTS_HELP = `Discord refused the privileged intents this bot asks for (close code 4014).
Turn them on at https://discord.com/developers/applications → your application → Bot → Privileged Gateway Intents:
  • MESSAGE CONTENT INTENT — without it, prefix commands and the command check of message XP cannot read messages
  • SERVER MEMBERS INTENT — without it, members who leave stay on the leaderboard and rejoiners don't get their roles back
Then start the bot again.`;

export const SHARDING_REQUIRED_HELP = `Discord refused the connection: a shard may serve at most ${MAX_GUILDS_PER_SHARD.toLocaleString('en-US')} servers (close code 4011).
Set SHARD_COUNT=auto (Discord's recommendation), or a SHARD_COUNT of at least (servers / ${MAX_GUILDS_PER_SHARD.toLocaleString('en-US')}) rounded up, and start again. See docs/DEPLOY.md.`;

export const BAD_TOKEN_HELP = 'Discord rejected the token (close code 4004 / HTTP 401). Copy the bot token again from the developer portal (Bot → Reset Token) into DISCORD_TOKEN.';

export class StartError extends Error {
  override name = 'StartError';
}

export interface BotOptions {
  token: string;
  core: XpCore;
  clock: Clock;
  scheduler: Scheduler;
  logger: Logger;
  /** REST base such as http://127.0.0.1:PORT/api (the simulator, or a proxy in front of Discord). Default Discord. */
  apiUrl?: string;
  /** Default '!'. */
  defaultPrefix?: string;
  ownerIds?: readonly string[];
  cards?: CardService | null;
  /** xp_config.yml (shop, currency, card template). Default: the built-in config (the default background only). */
  config?: XpConfigHolder;
  /** Fetches club icons (and remote images) safely. Default `new SafeFetcher()`. */
  imageFetcher?: SafeFetcher;
  /** Register slash commands at start when they differ from Discord's copy. Default true. */
  registerCommands?: boolean;
  /** Register in this guild only (instant) rather than globally. */
  devGuildId?: string;
  /** Voice tick period. Default 60 000 ms. */
  voiceIntervalMs?: number;
  /** How long leaderboard/shop buttons stay live. Default 180 000 ms. */
  buttonTimeoutMs?: number;
  /** Extra commands (shop, clubs…) served next to the built-in ones. */
  extraCommands?: readonly AnyCommand[];
  /** Retry timing of the role-change queue. Default `DEFAULT_ROLE_QUEUE_OPTIONS`. */
  roleQueue?: Partial<RoleQueueOptions>;
  /** Members per chunk of `rewards sync` and of the re-levelling after a curve change. Default `DEFAULT_ROLE_SYNC_OPTIONS`. */
  roleSync?: Partial<RoleSyncOptions>;
  /** Members archived per transaction when a season closes (tests use a small one to see the chunks). */
  seasonArchiveChunk?: number;
  /** The shards this process serves (DESIGN §12). Default: shard 0 of 1, every server (no sharding). */
  shards?: ShardSet;
  /** The shard claim's timing. Default: a 60 s claim renewed every 15 s. */
  shardClaim?: Partial<Omit<ShardClaimOptions, 'shards'>>;
  /** How an action such as `xpshop reload` reaches the other bot processes. Default: none (one process). */
  broadcast?: Broadcast;
  /** Called when the bot must stop on its own (its shard claim was taken over). Default: `stop()`. */
  onFatal?: (error: Error) => void;
  /** How long a Discord REST call may go unanswered before discord.js gives up and retries. Default discord.js's 15 000 ms. */
  restTimeoutMs?: number;
  /** At shutdown, how long running commands may take to finish before the final flush (real ms). Default 5 000. */
  shutdownCommandsMs?: number;
  /** Prometheus metrics to feed (REST timings, card renders, flushes, gateway latency). Default none. */
  metrics?: BotMetrics;
  /** Where the web pages are reached (WEB_PUBLIC_URL), for links in replies. Default none. */
  webPublicUrl?: string;
  /**
   * Webhook deliveries (DESIGN §14.4): the SSRF-safe client they go through (default `new SafeFetcher()`, whose
   * address policy is the image fetches'), the deliverer's timing, and — TESTS ONLY — plain http targets.
   */
  webhooks?: { poster?: SafeFetcher; allowHttpForTests?: boolean; deliverer?: Partial<DelivererOptions> };
}

/** What `/healthz` reports about the bot (DESIGN §14.1). */
export interface BotHealth {
  /** Every shard of this process has a live gateway session. */
  gatewayConnected: boolean;
  /** The last XP flush failed and has not been retried successfully yet. */
  flushFailing: boolean;
  /** Shutdown has begun. */
  stopping: boolean;
}

export class UnicorniaBot {
  readonly client: Client;
  readonly app: AppContext;
  private readonly effects: DiscordLevelUpEffects;
  private voiceTimer: { cancel(): void } | null = null;
  private retentionTimer: { cancel(): void } | null = null;
  readonly claim: ShardClaim;
  /** The web pages' copy of names, avatars, server icons and role colours. */
  readonly webCopies: WebCopies;
  /** Sends webhook events from the outbox. */
  readonly webhooks: WebhookDeliverer;

  constructor(private readonly options: BotOptions) {
    const intents = Object.values(FEATURE_INTENTS).flat();
    const config = options.config ?? new XpConfigHolder(builtinXpConfig());
    const shards = options.shards ?? { count: 1, ids: [0] };
    const broadcast = options.broadcast ?? new LocalBroadcast();
    this.client = new Client({
      intents,
      shards: [...shards.ids],
      shardCount: shards.count,
      // DM channels are not cached until a DM arrives: without Partials.Channel those DMs are dropped.
      partials: [Partials.GuildMember, Partials.Channel],
      // The bot never reads old messages back, so it keeps none: on a busy server the message cache is most of
      // discord.js's per-message work and garbage.
      makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, MessageManager: 0 }),
      rest: {
        ...(options.apiUrl ? { api: options.apiUrl } : {}),
        ...(options.restTimeoutMs ? { timeout: options.restTimeoutMs } : {}),
        ...(options.metrics ? { makeRequest: timedRequest(options.metrics) } : {}),
      },
    });
    const passes = new GuildPasses(this.client, { core: options.core, clock: options.clock, logger: options.logger });
    const poster = options.webhooks?.poster ?? new SafeFetcher();
    const allowHttp = options.webhooks?.allowHttpForTests === true;
    const roleQueue = new RoleQueueWorker(this.client, { core: options.core, clock: options.clock, scheduler: options.scheduler, logger: options.logger }, options.roleQueue);
    const privacy = new PrivacyService(options.core, options.clock);
    this.app = {
      core: options.core,
      clock: options.clock,
      scheduler: options.scheduler,
      logger: options.logger,
      defaultPrefix: options.defaultPrefix ?? '!',
      ownerIds: new Set(options.ownerIds ?? []),
      sessions: new ButtonSessions(options.scheduler, options.buttonTimeoutMs),
      registry: new CommandRegistry([...allCommands, ...(options.extraCommands ?? [])]),
      cards: options.cards && options.metrics ? timedCards(options.cards, options.metrics) : (options.cards ?? null),
      get currency() {
        return config.current.currency;
      },
      config,
      shop: new ShopService(options.core.stores.shop, options.core.stores.wallet, options.core.writer, config),
      clubs: new ClubService(options.core.stores.clubs, options.imageFetcher ?? new SafeFetcher()),
      roleQueue,
      passes,
      roleSync: new RoleSync(this.client, { core: options.core, clock: options.clock, logger: options.logger, roleQueue, passes }, options.roleSync),
      relevel: new Relevel({ core: options.core, clock: options.clock, passes }, options.roleSync?.chunk ?? DEFAULT_ROLE_SYNC_OPTIONS.chunk),
      privacy,
      retention: new RetentionJob({ core: options.core, clock: options.clock, scheduler: options.scheduler, logger: options.logger, privacy }),
      decay: new DecayJob({
        core: options.core,
        clock: options.clock,
        scheduler: options.scheduler,
        logger: options.logger,
        exemptMembers: (guildId, roleIds) => membersWithRoles(this.client, guildId, roleIds),
        shards: () => roleQueue.shards(),
        rolesQueued: () => roleQueue.kick(),
      }),
      exemptMembers: (guildId, roleIds) => membersWithRoles(this.client, guildId, roleIds),
      xpEvents: new XpEventAnnouncer({
        events: options.core.writer.xpEvents,
        clock: options.clock,
        scheduler: options.scheduler,
        logger: options.logger,
        shards: () => roleQueue.shards(),
        reload: (guildId) => options.core.engine.reloadGuild(guildId),
        announce: (a) => sendXpEventAnnouncement(this.client, a),
      }),
      seasons: new SeasonCloser({
        core: options.core,
        clock: options.clock,
        scheduler: options.scheduler,
        logger: options.logger,
        shards: () => roleQueue.shards(),
        rolesQueued: () => roleQueue.kick(),
        announce: async (season, summary) => {
          if (!season.channelId) return;
          const channel = await this.client.channels.fetch(season.channelId).catch(() => null);
          if (channel?.isSendable()) await channel.send({ content: fitText(closedText(season, summary), LIMITS.content), allowedMentions: { parse: [] } });
        },
        progress: (season) => (season.channelId ? passes.channelProgress(season.channelId) : { update: async () => {} }),
        ...(options.seasonArchiveChunk ? { archiveChunk: options.seasonArchiveChunk } : {}),
      }),
      gate: new CommandGate(),
      broadcast,
      web: {
        publicUrl: options.webPublicUrl?.replace(/\/+$/, '') ?? null,
        guildCopy: (guildId) => {
          const guild = this.client.guilds.cache.get(guildId);
          return guild ? guildCopy(guild) : null;
        },
        backfillProfiles: (guildId) => this.webCopies.backfill(guildId),
        webhookUrlProblem: async (url) => {
          if (!/^https:\/\//i.test(url) && !(allowHttp && /^http:\/\//i.test(url))) return 'it must start with https://';
          return poster.refusal(url);
        },
      },
    };
    this.webCopies = new WebCopies(this.client, options.core.writer, options.clock, options.scheduler, options.logger);
    this.webhooks = new WebhookDeliverer(options.core.writer, poster, options.clock, options.scheduler, options.logger, options.webhooks?.deliverer);
    // Another process ran `xpshop reload`: read the file here too (a broken file keeps the running config).
    broadcast.handle('reloadConfig', async () => {
      const r = await config.reload();
      if (!r.ok) throw new Error(`${r.error.file} was not reloaded here: ${r.error.issues.length} problem${r.error.issues.length === 1 ? '' : 's'}`);
      options.logger.info('xp_config.yml reloaded (asked by another process)');
    });
    passes.add(this.app.roleSync);
    passes.add(this.app.relevel);
    this.effects = new DiscordLevelUpEffects(this.client, this.app, roleQueue);
    options.core.setEffects(this.effects);
    if (options.metrics) {
      const metrics = options.metrics;
      metrics.watch({ engine: options.core.engine, gatewayPings: () => new Map(this.client.ws.shards.map((shard) => [shard.id, shard.ping])) });
      options.core.flusher.onFlushed = (ms, ok) => metrics.observeFlush(ms, ok);
    }
    this.claim = new ShardClaim(options.core.writer, options.clock, options.scheduler, options.logger, { ...options.shardClaim, shards }, (error) =>
      (options.onFatal ?? (() => void this.stop()))(error),
    );
  }

  async start(): Promise<void> {
    const { client, app } = this;
    client.on(Events.MessageCreate, onMessage(client, app));
    client.on(Events.InteractionCreate, onInteraction(client, app));
    client.on(Events.GuildMemberAdd, onMemberAdd(app));
    client.on(Events.GuildMemberRemove, onMemberRemove(app));
    // A role moved or a permission changed may let waiting role changes through (DESIGN §2.7).
    const wake = (guildId: string) => void app.roleQueue.wake(guildId).catch((error: unknown) => app.logger.warn({ err: error, guildId }, 'could not wake the role queue'));
    client.on(Events.GuildRoleUpdate, (_old, role) => wake(role.guild.id));
    client.on(Events.GuildMemberUpdate, (_old, member) => {
      if (member.id === client.user?.id) wake(member.guild.id);
    });
    client.on(Events.Error, (error) => app.logger.error({ err: error }, 'discord client error'));
    // The web pages' copy of how members and servers look (DESIGN §14.2).
    client.on(Events.MessageCreate, (message) => {
      if (!message.inGuild() || message.author.bot || message.webhookId !== null) return;
      const member = message.member;
      this.webCopies.seen({
        guildId: message.guildId,
        userId: message.author.id,
        name: member?.displayName ?? message.author.displayName,
        avatarUrl: (member ?? message.author).displayAvatarURL({ size: 64, extension: 'png' }),
      });
    });
    const refresh = (guildId: string) => void this.webCopies.refreshGuild(guildId);
    client.on(Events.GuildUpdate, (_old, guild) => refresh(guild.id));
    client.on(Events.GuildRoleCreate, (role) => refresh(role.guild.id));
    client.on(Events.GuildRoleUpdate, (_old, role) => refresh(role.guild.id));
    client.on(Events.GuildRoleDelete, (role) => refresh(role.guild.id));

    const ready = new Promise<void>((resolve, reject) => {
      client.once(Events.ClientReady, () => resolve());
      client.on(Events.ShardDisconnect, (event) => {
        if (event.code === 4014) reject(new StartError(INTENTS_HELP));
        if (event.code === 4004) reject(new StartError(BAD_TOKEN_HELP));
        if (event.code === 4011) reject(new StartError(SHARDING_REQUIRED_HELP));
      });
    });
    try {
      // Before logging in: a second process on the same shards must not receive a single message.
      await this.claim.acquire();
    } catch (error) {
      if (error instanceof ShardClaimError) throw new StartError(error.message);
      throw error;
    }
    try {
      await Promise.race([client.login(this.options.token), ready]);
      await ready;
    } catch (error) {
      await client.destroy();
      await this.claim.release();
      if (error instanceof StartError) throw error;
      const text = String((error as Error)?.message ?? error);
      if (/disallowed intents/i.test(text)) throw new StartError(INTENTS_HELP);
      if (/invalid token|401/i.test(text)) throw new StartError(BAD_TOKEN_HELP);
      throw error;
    }
    const { ids, count } = this.claim.options.shards;
    app.logger.info({ user: client.user?.tag, guilds: client.guilds.cache.size, shards: ids, shardCount: count, pid: process.pid }, 'logged in');
    // Commands are the application's, not a shard's: the process serving shard 0 registers them for all.
    if ((this.options.registerCommands ?? true) && ids.includes(0)) await this.syncCommands();
    await this.reconcileMembers();
    app.core.flusher.start();
    app.roleQueue.start();
    await app.passes.resume(app.roleQueue.shards());
    app.retention.start();
    app.decay.start();
    // Starts and ends that fell while the bot was stopped are announced now, each once.
    app.xpEvents.start();
    // Seasons that ended while the bot was stopped close now (DESIGN §15.3).
    app.seasons.start();
    this.webCopies.start();
    this.webhooks.start();
    // Names, icons and roles may have changed while the bot was offline.
    for (const guildId of await app.core.writer.web.webGuildIds()) await this.webCopies.refreshGuild(guildId);
    this.voiceTimer = app.scheduler.every(this.options.voiceIntervalMs ?? 60_000, () => void this.voiceTick());
    this.retentionTimer = startHistoryRetention(app.core.writer, app.clock, app.scheduler, app.logger);
  }

  /** For `/healthz`: the gateway's state, the flusher's and whether shutdown has begun. */
  health(): BotHealth {
    const shards = [...this.client.ws.shards.values()];
    return {
      gatewayConnected: shards.length > 0 && shards.every((shard) => shard.status === Status.Ready),
      flushFailing: this.app.core.flusher.failing,
      stopping: !this.app.gate.isOpen,
    };
  }

  /** One voice tick now (the scheduler calls it every minute). */
  voiceTick(): Awaitable<number> {
    return this.app.core.engine.voiceTick(voiceSnapshot(this.client));
  }

  /**
   * Members who left or came back while the bot was offline: where Discord sent the complete member list (it does
   * for servers up to the large threshold), the leaderboard's HasLeft marks are brought in line with it. Larger
   * servers catch up as members leave, join and speak.
   */
  private async reconcileMembers(): Promise<void> {
    for (const guild of this.client.guilds.cache.values()) {
      if (guild.members.cache.size < guild.memberCount) continue;
      const humans = guild.members.cache.filter((m) => !m.user.bot).map((m) => m.id);
      const changed = await this.app.core.writer.xp.reconcileMembers(guild.id, humans, this.app.clock.wallNow()).catch((error: unknown) => {
        this.app.logger.warn({ err: error, guildId: guild.id }, 'could not reconcile members');
        return null;
      });
      if (changed && (changed.left || changed.back)) this.app.logger.info({ guildId: guild.id, ...changed }, 'members who left or came back while offline');
    }
  }

  /** Registers the slash commands, but only when Discord's copy differs (registration is rate limited). */
  async syncCommands(): Promise<boolean> {
    const manager = this.client.application!.commands;
    const api: CommandApi = {
      fetch: async (guildId) => [...(await manager.fetch(guildId ? { guildId } : {})).values()],
      set: (commands, guildId) => manager.set(commands as never, guildId as never),
    };
    const r = await syncCommands(api, this.app.core.writer.state, this.app.registry.slashJson(), this.options.devGuildId, this.app.logger);
    return r.registered;
  }

  /**
   * Shutdown in the order that loses nothing (DESIGN §2.2): stop taking work (commands are answered that the bot
   * is restarting, messages and voice earn nothing), let running commands finish within a bound, close the engine
   * and write everything, then close the writer and the database; commands that ran past the bound are told
   * nothing was changed. Then old buttons are disabled, the renderer closed and the client logged out.
   */
  async stop(): Promise<boolean> {
    const { app } = this;
    const boundMs = this.options.shutdownCommandsMs ?? 5000;
    this.voiceTimer?.cancel();
    this.retentionTimer?.cancel();
    app.gate.close();
    const late = await app.gate.drain(boundMs);
    if (late > 0) app.logger.warn({ commands: late }, 'commands still running at shutdown: a change they make once the final flush has begun is refused');
    // A role sync or re-levelling stops after its chunk; the rest continues at the next start (DESIGN §2.7.1).
    if (!(await within(app.passes.stop(), 3000))) app.logger.warn('a pass over a server still under way at shutdown continues at the next start');
    // The role queue's timer stops; changes not confirmed yet stay queued for the next start (DESIGN §2.7).
    if (!(await within(app.roleQueue.stop(), 3000))) app.logger.warn('role changes still under way at shutdown stay queued');
    // A retention sweep stops after the member it is erasing; the rest is swept at the next start or by another process.
    await app.retention.stop();
    // A decay run stops after its chunk; the rest continues at the next start (DESIGN §15.4).
    if (!(await within(app.decay.stop(), 3000))) app.logger.warn('an XP decay run still under way at shutdown continues at the next start');
    await within(app.xpEvents.stop(), 3000);
    // A season's close stops after its step under way; the next start continues it.
    if (!(await within(app.seasons.stop(), 3000))) app.logger.warn('a season close still under way at shutdown continues at the next start');
    // Nothing new is counted from here on (running commands had their time), so the shards are free for the next
    // process; a straggler's change is still taken until the engine closes and is written by the final flush.
    await this.claim.release();
    await this.webCopies.stop();
    // Deliveries not made yet stay in the outbox for the next start.
    await within(this.webhooks.stop(), 3000);
    const saved = await app.core.stop();
    await app.gate.drain(boundMs);
    this.client.removeAllListeners();
    await within(app.sessions.closeAll(), 3000);
    await app.cards?.close();
    app.broadcast.close();
    await this.client.destroy();
    return saved;
  }
}

/** discord.js's own request function, timed: the duration and status of every REST call go to the metrics. */
function timedRequest(metrics: BotMetrics): typeof DefaultRestOptions.makeRequest {
  return async (url, init) => {
    const started = performance.now();
    try {
      const response = await DefaultRestOptions.makeRequest(url, init);
      metrics.observeRest(init.method ?? 'GET', performance.now() - started, response.status);
      return response;
    } catch (error) {
      metrics.observeRest(init.method ?? 'GET', performance.now() - started, null);
      throw error;
    }
  };
}

/** The card service, timed: every render's duration goes to the metrics (a null answer is a failed render). */
function timedCards(cards: CardService, metrics: BotMetrics): CardService {
  return {
    async render(request) {
      const started = performance.now();
      const card = await cards.render(request).catch((error: unknown) => {
        metrics.observeCardRender(performance.now() - started, false);
        throw error;
      });
      metrics.observeCardRender(performance.now() - started, card !== null);
      return card;
    },
    curveChart: (...args) => cards.curveChart(...args),
    historyChart: (...args) => cards.historyChart(...args),
    close: () => cards.close(),
  };
}
