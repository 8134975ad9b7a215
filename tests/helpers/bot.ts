/**
 * A whole bot for end-to-end tests: the in-repo Discord simulator on 127.0.0.1, the real discord.js client
 * logged in to it through UnicorniaBot, a real SQLite file, and a manual clock/scheduler (30 s flushes and
 * 60 s voice ticks happen when the test advances time).
 */
import { PermissionFlagsBits, type Role } from 'discord.js';
import { once } from 'node:events';
import { DiscordSimulator, type SimMessage, type SlashCommandInput, type VoiceInput } from '../../src/simulator/index.js';
import { createCore, openCore, type SqliteCore, type XpCore } from '../../src/core.js';
import { UnicorniaBot, type BotOptions } from '../../src/discord/bot.js';
import { ManualClock, ManualScheduler } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { tempDbPath } from './temp.js';

export interface BotWorld<C extends XpCore = SqliteCore> {
  sim: DiscordSimulator;
  bot: UnicorniaBot;
  core: C;
  clock: ManualClock;
  scheduler: ManualScheduler;
  dbPath: string;
  guildId: string;
  general: string;
  category: string;
  lounge: string;
  botId: string;
  /** Has Manage Server. */
  admin: string;
  owner: string;
  alice: string;
  bob: string;
  /** Sends a user message and resolves once the bot has handled it (its listener runs before ours). */
  say(userId: string, content: string, channelId?: string): Promise<SimMessage>;
  /** Sends a prefix command and resolves with the bot's reply. */
  prefix(userId: string, content: string, channelId?: string): Promise<SimMessage>;
  /** Runs a slash command and resolves with the visible answer. */
  slash(userId: string, input: Omit<SlashCommandInput, 'userId' | 'guildId' | 'channelId'> & { channelId?: string }): Promise<SimMessage>;
  /** Changes a voice state and resolves once the bot's client has seen it. */
  voice(userId: string, input: VoiceInput): Promise<void>;
  /** A member leaves; resolves once the bot has recorded it (hidden from the leaderboard). */
  leave(userId: string): Promise<void>;
  /** Stops the bot (final flush) and starts a new one on the same database and simulator. */
  restart(options?: { alreadyStopped?: boolean }): Promise<void>;
  teardown(): Promise<void>;
}

export function botWorld(options: Partial<BotOptions> = {}): Promise<BotWorld> {
  return world(options, (core) => createCore({ ...core, writer: 'inline' }));
}

/** The same world with its bot on a PostgreSQL database (DESIGN §7.1). */
export function pgBotWorld(databaseUrl: string, options: Partial<BotOptions> = {}): Promise<BotWorld<XpCore>> {
  return world(options, (core) => openCore({ ...core, databaseUrl }));
}

type CoreBase = { dbPath: string; clock: ManualClock; scheduler: ManualScheduler; logger: typeof silentLogger };

async function world<C extends XpCore>(options: Partial<BotOptions>, makeCore: (base: CoreBase) => C | Promise<C>): Promise<BotWorld<C>> {
  const sim = await DiscordSimulator.start({ logger: silentLogger });
  const guild = sim.createGuild({ name: 'Unicorn Farm' });
  const category = sim.createChannel(guild.id, { name: 'Chat', type: 4 }).id;
  const general = sim.createChannel(guild.id, { name: 'general', parentId: category }).id;
  const lounge = sim.createChannel(guild.id, { name: 'Lounge', type: 2, parentId: category }).id;
  sim.giveBotRole(guild.id, { permissions: PermissionFlagsBits.ManageRoles | PermissionFlagsBits.SendMessages | PermissionFlagsBits.ViewChannel });
  const adminRole = sim.createRole(guild.id, { name: 'Mods', permissions: PermissionFlagsBits.ManageGuild, position: 1 }).id;
  const user = (name: string, roles: string[] = []) => {
    const id = sim.createUser({ username: name }).id;
    sim.addMember(guild.id, id, { roles });
    return id;
  };
  const admin = user('admin', [adminRole]);
  const owner = user('owner');
  const alice = user('alice');
  const bob = user('bob');
  const clock = new ManualClock();
  const scheduler = new ManualScheduler(clock);
  const dbPath = tempDbPath();

  const start = async () => {
    const core = await makeCore({ dbPath, clock, scheduler, logger: silentLogger });
    const bot = new UnicorniaBot({ token: sim.token, apiUrl: sim.restUrl, core, clock, scheduler, logger: silentLogger, ownerIds: [owner], ...options });
    await bot.start();
    return { bot, core };
  };

  let { bot, core } = await start();
  const w: BotWorld<C> = {
    sim,
    bot,
    core,
    clock,
    scheduler,
    dbPath,
    guildId: guild.id,
    general,
    category,
    lounge,
    botId: sim.botUser.id,
    admin,
    owner,
    alice,
    bob,
    async say(userId, content, channelId = general) {
      const handled = new Promise<void>((resolve) => {
        const listener = (m: { id: string }) => {
          if (m.id !== sent.id) return;
          w.bot.client.off('messageCreate', listener);
          resolve();
        };
        w.bot.client.on('messageCreate', listener);
      });
      const sent = sim.sendMessage({ channelId, authorId: userId, content });
      await handled;
      return sent;
    },
    async prefix(userId, content, channelId = general) {
      const reply = sim.waitFor('message', (m) => m.authorId === w.botId && m.reference?.messageId === sent.id);
      const sent = sim.sendMessage({ channelId, authorId: userId, content });
      return reply;
    },
    async slash(userId, input) {
      const handle = sim.runSlashCommand({ guildId: guild.id, channelId: input.channelId ?? general, userId, ...input });
      return handle.reply();
    },
    async voice(userId, input) {
      const seen = new Promise<void>((resolve) => {
        const listener = (_old: unknown, state: { id: string }) => {
          if (state.id !== userId) return;
          w.bot.client.off('voiceStateUpdate', listener);
          resolve();
        };
        w.bot.client.on('voiceStateUpdate', listener);
      });
      sim.setVoiceState(guild.id, userId, input);
      await seen;
    },
    async leave(userId) {
      const left = once(w.bot.client, 'guildMemberRemove');
      sim.removeMember(guild.id, userId);
      await left;
      // The listener's write went to the writer queue before this read; awaiting it means the write is done.
      await w.core.writer.state.get('fence');
    },
    async restart(opts = {}) {
      if (!opts.alreadyStopped) await w.bot.stop();
      ({ bot, core } = await start());
      w.bot = bot;
      w.core = core;
    },
    async teardown() {
      await w.bot.stop();
      await sim.stop();
    },
  };
  return w;
}

/** A further server with one text channel, returned once the running bot has joined it (its guildCreate seen). */
export async function joinedGuild(w: BotWorld<XpCore>, name: string): Promise<{ guildId: string; channelId: string }> {
  const joined = once(w.bot.client, 'guildCreate');
  const guildId = w.sim.createGuild({ name }).id;
  const channelId = w.sim.createChannel(guildId, { name: 'chat' }).id;
  await joined;
  return { guildId, channelId };
}

/** Resolves once the bot's client has seen a role update that passes `check` (a simulator change reached its cache). */
export function roleUpdated(w: BotWorld<XpCore>, check: (r: Role) => boolean): Promise<void> {
  return new Promise<void>((resolve) => {
    const listener = (_old: Role, r: Role) => {
      if (!check(r)) return;
      w.bot.client.off('roleUpdate', listener);
      resolve();
    };
    w.bot.client.on('roleUpdate', listener);
  });
}

/**
 * Takes Send Messages from @everyone and from the bot's own role (where the bot has it from, with Discord's
 * defaults) and waits until the bot has seen both. Returns what gives it back through @everyone.
 */
export async function withoutSendMessages(w: BotWorld<XpCore>): Promise<() => Promise<void>> {
  const roles = w.sim.guild(w.guildId)!.roles;
  const botRole = [...roles.values()].find((r) => r.botId === w.botId)!;
  const everyone = roles.get(w.guildId)!.permissions;
  const send = PermissionFlagsBits.SendMessages;
  const revoked = Promise.all([
    roleUpdated(w, (r) => r.id === w.guildId && !r.permissions.has(send)),
    roleUpdated(w, (r) => r.id === botRole.id && !r.permissions.has(send)),
  ]);
  w.sim.updateRole(w.guildId, w.guildId, { permissions: everyone & ~send });
  w.sim.updateRole(w.guildId, botRole.id, { permissions: botRole.permissions & ~send & ~PermissionFlagsBits.Administrator });
  await revoked;
  return async () => {
    const restored = roleUpdated(w, (r) => r.id === w.guildId && r.permissions.has(send));
    w.sim.updateRole(w.guildId, w.guildId, { permissions: everyone });
    await restored;
  };
}
