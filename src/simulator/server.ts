/**
 * The HTTP side: one node:http server on 127.0.0.1 that serves the REST API under `/api/v10`, uploaded
 * attachments under `/attachments`, and hands WebSocket upgrades to the gateway. Routing, authentication, body
 * parsing (JSON or multipart) and the REST log live here, so route modules only express Discord's rules.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { SimContext } from './context.js';
import { ApiError } from './errors.js';
import type { RestCall } from './events.js';
import type { UploadedFile } from './payload.js';

export interface RouteRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  /** JSON body, or `payload_json` of a multipart body; null when there is none. */
  body: unknown;
  files: UploadedFile[];
}

/** What a route answers: JSON (status 200 by default), 204 for undefined, or raw bytes. */
export type RouteResult = undefined | { status?: number; json: unknown } | { bytes: Buffer; contentType: string };

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path after `/api/v10`, with `:name` segments, e.g. `/channels/:channelId/messages`. */
  path: string;
  /**
   * Whether `Authorization: Bot <token>` is required. False only for interaction callbacks and interaction
   * webhooks, which Discord authenticates by the token in the path (discord.js sends no header there).
   */
  auth: boolean;
  handle(request: RouteRequest): RouteResult | Promise<RouteResult>;
}

export const json = (value: unknown, status = 200): RouteResult => ({ status, json: value });

/**
 * A failure Discord sometimes gives instead of an answer, injected by tests: a 5xx with Discord's JSON body (what
 * discord.js retries and then throws as HTTPError), a connection dropped before any answer ('disconnect'), or no
 * answer at all until the client gives up ('timeout': discord.js aborts after its REST `timeout` and retries).
 */
export type FaultKind = 500 | 502 | 503 | 504 | 'disconnect' | 'timeout';

export interface Fault {
  method: Route['method'];
  /** A route pattern as in `Route.path`, e.g. `/guilds/:guildId/members/:userId/roles/:roleId`. */
  route: string;
  /** How many matching requests still fail. */
  remaining: number;
  kind: FaultKind;
}

const FAULT_TEXT: Record<500 | 502 | 503 | 504, string> = {
  500: '500: Internal Server Error',
  502: '502: Bad Gateway',
  503: '503: Service Unavailable',
  504: '504: Gateway Timeout',
};

interface CompiledRoute extends Route {
  segments: string[];
}

export class HttpServer {
  private readonly server: Server;
  private readonly routes: CompiledRoute[];
  /** Every REST request, oldest first. */
  readonly log: RestCall[] = [];
  /** Failures to inject, checked in order before a matched route runs. */
  readonly faults: Fault[] = [];

  constructor(
    private readonly ctx: SimContext,
    routes: Route[],
    onUpgrade: (request: IncomingMessage, socket: Duplex, head: Buffer) => void,
  ) {
    this.routes = routes.map((route) => ({ ...route, segments: route.path.split('/').slice(1) }));
    this.server = createServer((req, res) => void this.serve(req, res));
    this.server.on('upgrade', onUpgrade);
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    // Keep-alive sockets (undici pools them) would hold close() open forever; cut them.
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    // Decode per segment: discord.js may send `@original` as `%40original`; ids never contain '/'.
    const segments = url.pathname.split('/').slice(1).map(safeDecode);
    if (method === 'GET' && segments[0] === 'attachments') {
      this.serveAttachment(segments, res);
      return;
    }
    const path = segments[0] === 'api' && segments[1] === 'v10' ? `/${segments.slice(2).join('/')}` : null;
    const call: RestCall = {
      method,
      path: path ?? url.pathname,
      route: null,
      status: 0,
      body: null,
      error: null,
      at: this.ctx.state.now(),
    };
    let result: RouteResult;
    try {
      const match = path === null ? null : this.match(method, segments.slice(2));
      if (!match) {
        this.ctx.warn(`REST: no simulated route for ${method} ${url.pathname}`);
        throw new ApiError(
          this.routes.some((r) => matches(r, segments.slice(2))) ? 'MethodNotAllowed' : 'UnknownRoute',
        );
      }
      call.route = match.route.path;
      if (match.route.auth && req.headers.authorization !== `Bot ${this.ctx.token}`) {
        throw new ApiError('Unauthorized');
      }
      const body = await readBody(req);
      call.body = body.json;
      const fault = this.faults.find((f) => f.remaining > 0 && f.method === method && f.route === match.route.path);
      if (fault) {
        fault.remaining--;
        call.error = `injected fault: ${fault.kind}`;
        if (fault.kind === 'disconnect') {
          req.socket.destroy();
          this.record(call, 0);
          return;
        }
        if (fault.kind === 'timeout') {
          // Never answered: recorded when the client gives up and closes the request (or the simulator stops).
          res.once('close', () => this.record(call, 0));
          return;
        }
        send(res, fault.kind, { code: 0, message: FAULT_TEXT[fault.kind] });
        this.record(call, fault.kind);
        return;
      }
      result = await match.route.handle({
        params: match.params,
        query: url.searchParams,
        body: body.json,
        files: body.files,
      });
    } catch (error) {
      if (!(error instanceof ApiError)) {
        // A simulator bug, not a Discord answer: report it loudly and answer 500 like a Discord outage would.
        this.ctx.warn(`REST: ${method} ${url.pathname} crashed: ${(error as Error).stack ?? String(error)}`);
        call.error = (error as Error).message;
        send(res, 500, { code: 0, message: '500: Internal Server Error' });
        this.record(call, 500);
        return;
      }
      call.error = error.detail ?? error.message;
      send(res, error.status, error.toBody());
      this.record(call, error.status);
      return;
    }
    if (result === undefined) {
      res.writeHead(204).end();
      this.record(call, 204);
    } else if ('bytes' in result) {
      res.writeHead(200, { 'content-type': result.contentType }).end(result.bytes);
      this.record(call, 200);
    } else {
      send(res, result.status ?? 200, result.json);
      this.record(call, result.status ?? 200);
    }
  }

  private record(call: RestCall, status: number): void {
    call.status = status;
    this.log.push(call);
    this.ctx.events.emit('rest', call);
  }

  private match(method: string, segments: string[]): { route: CompiledRoute; params: Record<string, string> } | null {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const params = matches(route, segments);
      if (params) return { route, params };
    }
    return null;
  }

  private serveAttachment(segments: string[], res: ServerResponse): void {
    const [, channelId, attachmentId] = segments;
    const messages = channelId ? (this.ctx.state.channelMessages.get(channelId) ?? []) : [];
    // Newest first: attachments are usually fetched right after they were sent.
    for (let i = messages.length - 1; i >= 0; i--) {
      const attachment = messages[i]?.attachments.find((a) => a.id === attachmentId);
      if (attachment) {
        res
          .writeHead(200, { 'content-type': attachment.contentType ?? 'application/octet-stream' })
          .end(attachment.data);
        return;
      }
    }
    send(res, 404, { code: 0, message: '404: Not Found' });
  }
}

function matches(route: CompiledRoute, segments: string[]): Record<string, string> | null {
  if (route.segments.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const expected = route.segments[i] as string;
    const actual = segments[i] as string;
    if (expected.startsWith(':')) params[expected.slice(1)] = actual;
    else if (expected !== actual) return null;
  }
  return params;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

async function readBody(req: IncomingMessage): Promise<{ json: unknown; files: UploadedFile[] }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  if (raw.length === 0) return { json: null, files: [] };
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('multipart/form-data')) return readMultipart(raw, type);
  if (!type.startsWith('application/json')) {
    throw new ApiError('InvalidForm', `unsupported content-type '${type}'`);
  }
  try {
    return { json: JSON.parse(raw.toString('utf8')), files: [] };
  } catch {
    throw new ApiError('InvalidForm', 'body is not valid JSON');
  }
}

/** Multipart parsing by the platform's own (undici) FormData parser: no hand-rolled boundary scanning. */
async function readMultipart(raw: Buffer, contentType: string): Promise<{ json: unknown; files: UploadedFile[] }> {
  let form: FormData;
  try {
    form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw new ApiError('InvalidForm', 'malformed multipart body');
  }
  let json: unknown = null;
  const files: UploadedFile[] = [];
  for (const [field, value] of form.entries()) {
    if (typeof value === 'string') {
      if (field === 'payload_json') {
        try {
          json = JSON.parse(value);
        } catch {
          throw new ApiError('InvalidForm', 'payload_json is not valid JSON');
        }
      }
      continue;
    }
    files.push({
      field,
      filename: value.name,
      contentType: value.type || null,
      data: Buffer.from(await value.arrayBuffer()),
    });
  }
  return { json, files };
}
