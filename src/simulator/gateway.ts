/**
 * The gateway: Discord's WebSocket protocol, as much of it as discord.js exercises. JSON text frames only —
 * @discordjs/ws sends `?v=10&encoding=json` and asks for zlib-stream only when the optional `zlib-sync` package is
 * installed (it is not here), and it drops binary frames it cannot inflate, so text is the one format that works.
 *
 * Sessions outlive their socket: events dispatched while a client is disconnected are kept (a bounded window) and
 * replayed on RESUME, like Discord. A RESUME outside that window gets op 9 and the client identifies afresh.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { GatewayIntentBits, GatewayOpcodes, ApplicationFlags } from 'discord.js';
import { WebSocketServer, type WebSocket } from 'ws';
import type { SimulatorEvents } from './events.js';
import { toGuildCreate, toMember, toUser } from './serialize.js';
import type { SimState } from './state.js';

/** Which privileged intents the simulated application has switched on in the developer portal. */
export interface PrivilegedIntents {
  guildMembers: boolean;
  guildPresences: boolean;
  messageContent: boolean;
}

export interface GatewayConfig {
  token: string;
  botUserId: string;
  applicationId: string;
  privilegedIntents: PrivilegedIntents;
  heartbeatIntervalMs: number;
  /** Discord's sharding limits (see `ShardLimits`). */
  shardLimits: ShardLimits;
  /** `ws://127.0.0.1:PORT`, sent as `resume_gateway_url`; known once the server listens. */
  url: () => string;
  /** Reports protocol misuse the client will not tell anyone about (unknown opcode, bad payload). */
  warn: (message: string) => void;
}

/**
 * Discord's sharding rules: a session may handle at most `maxGuildsPerShard` guilds (2 500) or it is closed with
 * 4011; `GET /gateway/bot` recommends one shard per `recommendedGuildsPerShard` (about 1 000); `maxConcurrency`
 * shards may identify at once per 5 s (1 for most bots).
 */
export interface ShardLimits {
  maxGuildsPerShard: number;
  recommendedGuildsPerShard: number;
  maxConcurrency: number;
}

/** Who receives a dispatch. */
export interface DispatchScope {
  /** The intent a session must have identified with; 0 = every session (READY, INTERACTION_CREATE...). */
  intent: number;
  /** Guild the event belongs to (selects the shard); null for DMs and global events. */
  guildId: string | null;
  /**
   * What sessions lacking `intent` get instead of the full payload: Discord trims some events by intent (content
   * blanked without MESSAGE_CONTENT, member lists cut without GUILD_MEMBERS). Built once, only if needed.
   */
  reduced?: { intent: number; data: () => unknown };
}

/** Close codes from Discord's gateway documentation. */
const Close = {
  UnknownOpcode: 4001,
  DecodeError: 4002,
  NotAuthenticated: 4003,
  AuthenticationFailed: 4004,
  AlreadyAuthenticated: 4005,
  InvalidShard: 4010,
  ShardingRequired: 4011,
  InvalidApiVersion: 4012,
  InvalidIntents: 4013,
  DisallowedIntents: 4014,
} as const;

/** How many past events a session keeps for RESUME. Bounded so a 50 000-message load does not hold them all. */
const REPLAY_WINDOW = 4096;

class Session {
  seq = 0;
  socket: WebSocket | null = null;
  private readonly replay: string[] = new Array<string>(REPLAY_WINDOW);

  constructor(
    readonly id: string,
    readonly intents: number,
    readonly shard: [number, number],
  ) {}

  /** Frames are assembled by hand around a pre-serialized `d`: one JSON.stringify per event, not per session. */
  send(event: string, json: string): void {
    this.seq += 1;
    const frame = `{"op":0,"t":"${event}","s":${this.seq},"d":${json}}`;
    this.replay[this.seq % REPLAY_WINDOW] = frame;
    if (this.socket?.readyState === 1) this.socket.send(frame);
  }

  /** Frames after `seq`, or null when some of them have left the replay window. */
  framesAfter(seq: number): string[] | null {
    if (seq > this.seq || this.seq - seq >= REPLAY_WINDOW) return null;
    const frames: string[] = [];
    for (let s = seq + 1; s <= this.seq; s++) frames.push(this.replay[s % REPLAY_WINDOW] as string);
    return frames;
  }

  handles(guildId: string | null): boolean {
    return handles(this.shard, guildId);
  }
}

/** Discord's rule: shard = (guild_id >> 22) % shard_count; DMs go to shard 0. */
export function shardOf(guildId: string | null, count: number): number {
  return guildId === null || count === 1 ? 0 : Number((BigInt(guildId) >> 22n) % BigInt(count));
}

function handles([index, count]: [number, number], guildId: string | null): boolean {
  return shardOf(guildId, count) === index;
}

export class Gateway {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sessions = new Map<string, Session>();
  private pingCounter = 0;
  /** IDENTIFYs so far: `session_start_limit.remaining` counts down from 1 000 like Discord's daily budget. */
  identifies = 0;

  constructor(
    private readonly state: SimState,
    private readonly events: SimulatorEvents,
    private readonly config: GatewayConfig,
  ) {}

  /** True while at least one identified client is connected. */
  get connected(): boolean {
    for (const session of this.sessions.values()) if (session.socket) return true;
    return false;
  }

  /** Takes over an HTTP upgrade request for the gateway URL. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, request));
  }

  /** Sends an event to every session that should see it. */
  dispatch(event: string, data: unknown, scope: DispatchScope): void {
    let json: string | undefined;
    let reduced: string | undefined;
    for (const session of this.sessions.values()) {
      if (scope.intent !== 0 && (session.intents & scope.intent) === 0) continue;
      if (!session.handles(scope.guildId)) continue;
      if (scope.reduced && (session.intents & scope.reduced.intent) === 0) {
        reduced ??= JSON.stringify(scope.reduced.data());
        session.send(event, reduced);
      } else {
        json ??= JSON.stringify(data);
        session.send(event, json);
      }
    }
  }

  /**
   * Resolves once every connected client has read everything sent so far: a ping queued behind the events is
   * answered (pong) only after the client's WebSocket has read them. Lets a bulk load apply backpressure.
   */
  async drain(): Promise<void> {
    const waits: Promise<void>[] = [];
    for (const session of this.sessions.values()) {
      const socket = session.socket;
      if (socket?.readyState !== 1) continue;
      const token = String(++this.pingCounter);
      waits.push(
        new Promise((resolve) => {
          const onPong = (data: Buffer): void => {
            if (data.toString() === token) done();
          };
          const done = (): void => {
            socket.off('pong', onPong);
            socket.off('close', done);
            resolve();
          };
          socket.on('pong', onPong);
          socket.on('close', done);
          socket.ping(token);
        }),
      );
    }
    await Promise.all(waits);
  }

  /** Sends op 7 RECONNECT: the client drops the socket and RESUMEs, as after a Discord-side restart. */
  requestReconnect(): void {
    for (const session of this.sessions.values()) {
      session.socket?.send(JSON.stringify({ op: GatewayOpcodes.Reconnect, d: null }));
    }
  }

  /** Closes every connection with 1001 (going away) and forgets all sessions. */
  async close(): Promise<void> {
    const closed = [...this.wss.clients].map(
      (ws) =>
        new Promise<void>((resolve) => {
          // A client that never answers the close handshake must not keep stop() waiting.
          const timer = setTimeout(() => ws.terminate(), 500);
          ws.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
          ws.close(1001, 'simulator stopping');
        }),
    );
    await Promise.all(closed);
    this.sessions.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(ws: WebSocket, request: IncomingMessage): void {
    const query = new URL(request.url ?? '/', 'ws://127.0.0.1').searchParams;
    if ((query.get('v') ?? '10') !== '10') {
      ws.close(Close.InvalidApiVersion, 'Invalid API version');
      return;
    }
    if ((query.get('encoding') ?? 'json') !== 'json' || query.has('compress')) {
      // The simulator speaks only uncompressed JSON; say so instead of sending frames the client cannot read.
      this.config.warn(`gateway: unsupported encoding/compression requested: ${request.url ?? ''}`);
      ws.close(Close.DecodeError, 'Only encoding=json without compression is simulated');
      return;
    }
    let session: Session | null = null;
    ws.on('message', (raw, isBinary) => {
      let payload: { op?: unknown; d?: unknown } | null = null;
      try {
        payload = JSON.parse(isBinary ? '' : raw.toString()) as { op?: unknown; d?: unknown } | null;
      } catch {
        // Handled below with any other payload that is not an object.
      }
      if (typeof payload !== 'object' || payload === null) {
        ws.close(Close.DecodeError, 'Error while decoding payload.');
        return;
      }
      switch (payload.op) {
        case GatewayOpcodes.Heartbeat:
          ws.send('{"op":11,"d":null}');
          return;
        case GatewayOpcodes.Identify:
          if (session) {
            ws.close(Close.AlreadyAuthenticated, 'Already authenticated.');
            return;
          }
          session = this.identify(ws, payload.d);
          return;
        case GatewayOpcodes.Resume:
          if (session) {
            ws.close(Close.AlreadyAuthenticated, 'Already authenticated.');
            return;
          }
          session = this.resume(ws, payload.d);
          return;
      }
      if (!session) {
        ws.close(Close.NotAuthenticated, 'Not authenticated.');
        return;
      }
      switch (payload.op) {
        case GatewayOpcodes.PresenceUpdate:
        case GatewayOpcodes.VoiceStateUpdate:
          // Accepted and ignored: presence is not simulated, and the bot never joins voice itself.
          return;
        case GatewayOpcodes.RequestGuildMembers:
          this.sendMemberChunks(session, payload.d);
          return;
        default:
          this.config.warn(`gateway: unknown opcode ${String(payload.op)}`);
          ws.close(Close.UnknownOpcode, 'Unknown opcode.');
      }
    });
    ws.on('close', (code) => {
      const current = session;
      if (current && current.socket === ws) {
        current.socket = null;
        // Like Discord, a clean close (1000/1001 from the client) ends the session; anything else may RESUME.
        if (code === 1000 || code === 1001) this.sessions.delete(current.id);
      }
      this.events.emit('gatewayClose', { sessionId: current?.id ?? null, code });
    });
    ws.send(JSON.stringify({ op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.config.heartbeatIntervalMs } }));
  }

  private identify(ws: WebSocket, d: unknown): Session | null {
    const data = (d ?? {}) as { token?: unknown; intents?: unknown; shard?: unknown };
    if (data.token !== this.config.token) {
      ws.close(Close.AuthenticationFailed, 'Authentication failed.');
      return null;
    }
    if (typeof data.intents !== 'number' || !Number.isInteger(data.intents) || data.intents < 0) {
      ws.close(Close.InvalidIntents, 'Invalid intent(s).');
      return null;
    }
    const intents = data.intents;
    if ((intents & ~this.enabledIntents()) !== 0) {
      ws.close(Close.DisallowedIntents, 'Disallowed intent(s).');
      return null;
    }
    const shard = parseShard(data.shard);
    if (!shard) {
      ws.close(Close.InvalidShard, 'Invalid shard.');
      return null;
    }
    this.identifies += 1;
    const guilds = [...this.state.guilds.values()].filter((g) => g.members.has(this.config.botUserId) && handles(shard, g.id));
    if (guilds.length > this.config.shardLimits.maxGuildsPerShard) {
      // Discord: "The session would have handled too many guilds - you are required to shard your connection".
      ws.close(Close.ShardingRequired, 'Sharding required.');
      return null;
    }
    // A fresh IDENTIFY means the client gave up its old session of this shard: sessions of the shard left without a
    // socket cannot be resumed any more (Discord expires them too), so they stop collecting events. Other shards'
    // sessions (another process reconnecting) are not touched.
    for (const [id, old] of this.sessions) if (!old.socket && old.shard[0] === shard[0] && old.shard[1] === shard[1]) this.sessions.delete(id);
    const session = new Session(this.state.ids.next(), intents, shard);
    session.socket = ws;
    this.sessions.set(session.id, session);
    this.events.emit('identify', { sessionId: session.id, intents, shard });

    const bot = this.state.users.get(this.config.botUserId);
    session.send(
      'READY',
      JSON.stringify({
        v: 10,
        user: bot ? { ...toUser(bot), verified: true, mfa_enabled: false, email: null } : null,
        guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
        session_id: session.id,
        session_type: 'normal',
        resume_gateway_url: this.config.url(),
        shard,
        application: { id: this.config.applicationId, flags: applicationFlags(this.config.privilegedIntents) },
        private_channels: [],
        presences: [],
        relationships: [],
        guild_join_requests: [],
        geo_ordered_rtc_regions: [],
        user_settings: {},
        _trace: ['["unicornia-simulator"]'],
      }),
    );
    // Without GUILDS no GUILD_CREATE follows (discord.js then marks the guilds unavailable and is ready at once).
    if ((intents & GatewayIntentBits.Guilds) !== 0) {
      const allMembers = (intents & GatewayIntentBits.GuildMembers) !== 0;
      for (const guild of guilds) {
        session.send(
          'GUILD_CREATE',
          JSON.stringify(toGuildCreate(this.state, guild, this.config.botUserId, allMembers)),
        );
      }
    }
    return session;
  }

  private resume(ws: WebSocket, d: unknown): Session | null {
    const data = (d ?? {}) as { token?: unknown; session_id?: unknown; seq?: unknown };
    if (data.token !== this.config.token) {
      ws.close(Close.AuthenticationFailed, 'Authentication failed.');
      return null;
    }
    const session = typeof data.session_id === 'string' ? this.sessions.get(data.session_id) : undefined;
    const frames = session && typeof data.seq === 'number' ? session.framesAfter(data.seq) : null;
    if (!session || !frames || session.socket) {
      // Not resumable: op 9 with d=false makes the client identify again.
      ws.send(JSON.stringify({ op: GatewayOpcodes.InvalidSession, d: false }));
      return null;
    }
    session.socket = ws;
    for (const frame of frames) ws.send(frame);
    session.send('RESUMED', '{}');
    this.events.emit('resume', { sessionId: session.id, replayed: frames.length });
    return session;
  }

  /** Answers op 8 with GUILD_MEMBERS_CHUNK events of at most 1 000 members, as Discord does. */
  private sendMemberChunks(session: Session, d: unknown): void {
    const data = (d ?? {}) as {
      guild_id?: unknown;
      query?: unknown;
      limit?: unknown;
      user_ids?: unknown;
      nonce?: unknown;
    };
    const guild = typeof data.guild_id === 'string' ? this.state.guilds.get(data.guild_id) : undefined;
    if (!guild) return;
    const userIds =
      typeof data.user_ids === 'string' ? [data.user_ids] : Array.isArray(data.user_ids) ? data.user_ids : null;
    const canListAll = (session.intents & GatewayIntentBits.GuildMembers) !== 0;
    let members = [...guild.members.values()];
    if (userIds) {
      members = members.filter((m) => userIds.includes(m.userId));
    } else if (typeof data.query === 'string' && data.query !== '') {
      const prefix = data.query.toLowerCase();
      members = members.filter((m) => this.state.users.get(m.userId)?.username.toLowerCase().startsWith(prefix));
    } else if (!canListAll) {
      // Listing everyone needs GUILD_MEMBERS; Discord refuses, so the client gets nothing.
      members = [];
    }
    const limit = typeof data.limit === 'number' && data.limit > 0 ? data.limit : Infinity;
    members = members.slice(0, limit);
    const notFound = userIds ? userIds.filter((id) => !guild.members.has(String(id))) : [];
    const chunkCount = Math.max(1, Math.ceil(members.length / 1000));
    for (let index = 0; index < chunkCount; index++) {
      session.send(
        'GUILD_MEMBERS_CHUNK',
        JSON.stringify({
          guild_id: guild.id,
          members: members.slice(index * 1000, (index + 1) * 1000).map((m) => toMember(this.state, m)),
          chunk_index: index,
          chunk_count: chunkCount,
          not_found: notFound,
          ...(typeof data.nonce === 'string' ? { nonce: data.nonce } : {}),
        }),
      );
    }
  }

  private enabledIntents(): number {
    const { guildMembers, guildPresences, messageContent } = this.config.privilegedIntents;
    let privileged = 0;
    if (guildMembers) privileged |= GatewayIntentBits.GuildMembers;
    if (guildPresences) privileged |= GatewayIntentBits.GuildPresences;
    if (messageContent) privileged |= GatewayIntentBits.MessageContent;
    const allNonPrivileged =
      Object.values(GatewayIntentBits)
        .filter((v): v is number => typeof v === 'number')
        .reduce((all, bit) => all | bit, 0) & ~PRIVILEGED;
    return allNonPrivileged | privileged;
  }
}

const PRIVILEGED = GatewayIntentBits.GuildMembers | GatewayIntentBits.GuildPresences | GatewayIntentBits.MessageContent;

/** The `*_LIMITED` flags a small (unverified) bot gets when it switches a privileged intent on. */
export function applicationFlags(intents: PrivilegedIntents): number {
  let flags = 0;
  if (intents.guildMembers) flags |= ApplicationFlags.GatewayGuildMembersLimited;
  if (intents.guildPresences) flags |= ApplicationFlags.GatewayPresenceLimited;
  if (intents.messageContent) flags |= ApplicationFlags.GatewayMessageContentLimited;
  return flags;
}

function parseShard(value: unknown): [number, number] | null {
  if (value === undefined) return [0, 1];
  if (!Array.isArray(value) || value.length !== 2) return null;
  const [index, count] = value as unknown[];
  if (typeof index !== 'number' || typeof count !== 'number' || count < 1 || index < 0 || index >= count) return null;
  return [index, count];
}
