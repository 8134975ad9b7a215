/**
 * The web server inside the bot process (DESIGN §14): off unless WEB_PORT is set. fastify serves the public pages
 * and the read API, and `/healthz` and `/metrics` — on the same address, or on an address of their own (OPS_PORT)
 * so a public reverse proxy never reaches them. Everything it shows comes through the ports in `ports.ts`; it never
 * imports discord.js or SQL.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from '../util/logger.js';
import type { BotMetrics } from '../ops/metrics.js';
import { healthReport, type HealthSource } from './health.js';

export interface WebDeps {
  metrics: BotMetrics;
  health: HealthSource;
  logger: Logger;
  /** Adds the public routes (pages, API) to the public server; absent in tools that serve operations only. */
  routes?: (app: FastifyInstance) => Promise<void> | void;
}

/** Where to listen. Documented with the environment variables in the README. */
export interface WebOptions {
  /** Public pages and API. 0 picks a free port (tests). */
  port: number;
  /** Default 127.0.0.1: a public bind is a decision (behind a reverse proxy, see README). */
  host: string;
  /** `/healthz` and `/metrics` on their own port; unset: served on the public port. */
  opsPort?: number;
  /** Default: `host`. */
  opsHost?: string;
  /** Reverse proxies in front whose X-Forwarded-For is believed (the client's address for rate limits). Default 0. */
  trustProxy?: number;
}

export class WebServer {
  private constructor(
    private readonly app: FastifyInstance,
    private readonly ops: FastifyInstance | null,
  ) {}

  static async start(deps: WebDeps, options: WebOptions): Promise<WebServer> {
    const app = newInstance(options.trustProxy ?? 0);
    const separate = options.opsPort !== undefined;
    const ops = separate ? newInstance(0) : null;
    addOpsRoutes(ops ?? app, deps);
    if (deps.routes) await deps.routes(app);
    const server = new WebServer(app, ops);
    try {
      await app.listen({ port: options.port, host: options.host });
      if (ops) await ops.listen({ port: options.opsPort!, host: options.opsHost ?? options.host });
    } catch (error) {
      await server.close();
      throw error;
    }
    deps.logger.info({ web: server.url, ops: server.opsUrl }, 'web server listening');
    return server;
  }

  /** Base URL of the public server, e.g. http://127.0.0.1:8080. */
  get url(): string {
    return urlOf(this.app);
  }

  /** Base URL of `/healthz` and `/metrics`. */
  get opsUrl(): string {
    return urlOf(this.ops ?? this.app);
  }

  /** Stops listening; requests under way finish first. */
  async close(): Promise<void> {
    await Promise.all([this.app.close(), this.ops?.close()]);
  }
}

function newInstance(trustProxy: number): FastifyInstance {
  // No request logging: a public page under load must not write a log line per hit; errors are logged by routes.
  // trustProxy: believe X-Forwarded-For for that many hops (the reverse proxies in front), never more.
  return Fastify({ logger: false, trustProxy: trustProxy > 0 ? (_address: string, hop: number) => hop < trustProxy : false, return503OnClosing: true });
}

function urlOf(app: FastifyInstance): string {
  const address = app.server.address();
  if (address === null || typeof address === 'string') return String(address);
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

function addOpsRoutes(app: FastifyInstance, deps: WebDeps): void {
  app.get('/healthz', async (_request, reply) => {
    const report = healthReport(deps.health());
    return reply.code(report.ok ? 200 : 503).header('cache-control', 'no-store').send(report);
  });
  app.get('/metrics', async (_request, reply) => {
    const text = await deps.metrics.text();
    return reply.header('content-type', deps.metrics.contentType).header('cache-control', 'no-store').send(text);
  });
}
