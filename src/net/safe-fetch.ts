/**
 * SafeFetcher: fetch an image from a URL that a user, a club or a config wrote — so hostile until checked (DESIGN §5).
 *
 * For every hop (the first request and each redirect): http/https only, no credentials, standard ports unless
 * configured; the host is resolved once, every address must be public unicast, and the connection goes to the address
 * that was checked (an undici Agent whose `connect.lookup` returns it, so there is no second lookup to rebind; the URL
 * keeps the host name, so SNI, certificate checks and the Host header stay right). Then: a total deadline and a
 * connect timeout, a byte cap while streaming, the body must be an image by its magic bytes, and its header-declared
 * size and frame count are capped before anything decodes it. There is no file: or data: support at all.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import tls from 'node:tls';
import { Agent, request, errors as undiciErrors } from 'undici';
import { checkAddress, isIpLiteral } from './ip.js';
import { SafeFetchError } from './errors.js';
import { sniffImageType, type ImageInfo } from './image-info.js';
import { checkImage, DEFAULT_IMAGE_LIMITS, type ImageLimits } from './image-check.js';

/** Resolves a host name to addresses (both families). Injected in tests. */
export type Resolver = (hostname: string) => Promise<string[]>;

export const systemResolver: Resolver = async (hostname) => (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

/** Limits of the image (bytes, size, frames) come from ImageLimits; the rest is about the connection. */
export interface SafeFetchOptions extends ImageLimits {
  /** Redirects followed, each checked like the first URL. Default 3. */
  maxRedirects: number;
  /** Time to open the TCP (and TLS) connection, per hop. Default 3 000 ms. */
  connectTimeoutMs: number;
  /** Deadline for the whole fetch: resolving, every hop and the body. Default 10 000 ms. */
  timeoutMs: number;
  /** Ports allowed besides the scheme's standard one (80 for http, 443 for https). Default none. */
  extraPorts: number[];
  /** Host name → addresses. Default: the system resolver (all addresses). */
  resolver: Resolver;
  userAgent: string;
  /** Extra trusted CA certificate(s) in PEM, added to Node's defaults (a private CDN, or the tests' own). Default none. */
  tlsCa: string | undefined;
  /** TESTS ONLY: allow loopback addresses (a local test server). Production never sets this. Default false. */
  allowLoopbackForTests: boolean;
}

export const DEFAULT_SAFE_FETCH_OPTIONS: Readonly<SafeFetchOptions> = {
  ...DEFAULT_IMAGE_LIMITS,
  maxRedirects: 3,
  connectTimeoutMs: 3_000,
  timeoutMs: 10_000,
  extraPorts: [],
  resolver: systemResolver,
  userAgent: 'Unicornia (Discord XP bot; image fetcher)',
  tlsCa: undefined,
  allowLoopbackForTests: false,
};

export interface FetchedImage extends ImageInfo {
  bytes: Uint8Array;
  /** The URL the image finally came from (after redirects). */
  url: string;
}

type PinnedAddress = { address: string; family: 4 | 6 };

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET']);

function isConnectError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECT_ERRORS.has(code)) return true;
  }
  return false;
}
const STANDARD_PORT: Record<string, number> = { 'http:': 80, 'https:': 443 };

export class SafeFetcher {
  readonly options: SafeFetchOptions;

  constructor(options: Partial<SafeFetchOptions> = {}) {
    this.options = { ...DEFAULT_SAFE_FETCH_OPTIONS, ...options };
  }

  /** Fetch and check an image. Rejects with SafeFetchError only. */
  async fetchImage(rawUrl: string | URL): Promise<FetchedImage> {
    const o = this.options;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), o.timeoutMs);
    let host = 'the server';
    try {
      let url = this.checkUrl(String(rawUrl));
      for (let hop = 0; ; hop++) {
        host = url.hostname;
        const addresses = await this.checkedAddresses(url, deadline.signal);
        const res = await this.getFromFirstReachable(url, addresses, deadline.signal);
        if (res.kind === 'redirect') {
          if (hop >= o.maxRedirects) throw new SafeFetchError('too_many_redirects', { max: o.maxRedirects });
          let next: URL;
          try {
            next = new URL(res.location, url);
          } catch {
            throw new SafeFetchError('bad_redirect');
          }
          url = this.checkUrl(next.href);
          continue;
        }
        return { ...res.info, bytes: res.bytes, url: url.href };
      }
    } catch (err) {
      throw this.translate(err, deadline.signal.aborted, host);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * POSTs a body (a webhook delivery, DESIGN §14.4) under the same policy as image fetches: the URL and every
   * address its host resolves to are checked, and the connection goes to a checked address. Redirects are not
   * followed (the status is returned, and a 3xx is not a delivery). Rejects with SafeFetchError when the target is
   * refused or does not answer in time; the answer's body is discarded.
   */
  async post(rawUrl: string, body: string, headers: Record<string, string>): Promise<{ status: number }> {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.options.timeoutMs);
    let host = 'the server';
    try {
      const url = this.checkUrl(rawUrl);
      host = url.hostname;
      const [pinned] = await this.checkedAddresses(url, deadline.signal);
      const agent = this.pinnedAgent(pinned!);
      try {
        const res = await request(url, {
          method: 'POST',
          dispatcher: agent,
          signal: deadline.signal,
          headers: { 'user-agent': this.options.userAgent, ...headers },
          body,
          headersTimeout: this.options.timeoutMs,
          bodyTimeout: this.options.timeoutMs,
        });
        discard(res.body);
        return { status: res.statusCode };
      } finally {
        void agent.close().catch(() => {});
      }
    } catch (err) {
      throw this.translate(err, deadline.signal.aborted, host);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Why a URL may not be fetched or posted to (scheme, credentials, port, a refused address), or null. */
  async refusal(rawUrl: string): Promise<string | null> {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.options.timeoutMs);
    try {
      await this.checkedAddresses(this.checkUrl(rawUrl), deadline.signal);
      return null;
    } catch (err) {
      return this.translate(err, deadline.signal.aborted, 'the server').message;
    } finally {
      clearTimeout(timer);
    }
  }

  /** A connection pool of one connection to the address that was checked (no second lookup to rebind). */
  private pinnedAgent(pinned: PinnedAddress): Agent {
    const o = this.options;
    const lookup: LookupFunction = (_hostname, options, callback) => {
      // Node asks for a list when it races IPv4/IPv6 (autoSelectFamily); answer with the checked address only.
      if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [pinned]);
      else callback(null, pinned.address, pinned.family);
    };
    const ca = o.tlsCa === undefined ? {} : { ca: [...tls.rootCertificates, o.tlsCa] };
    return new Agent({ connect: { timeout: o.connectTimeoutMs, lookup, ...ca }, connections: 1, pipelining: 0 });
  }

  /** Scheme, credentials and port; returns the parsed URL. */
  private checkUrl(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new SafeFetchError('invalid_url');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new SafeFetchError('scheme', { scheme: url.protocol.replace(/:$/, '') });
    if (url.username || url.password) throw new SafeFetchError('credentials');
    const port = url.port === '' ? STANDARD_PORT[url.protocol]! : Number(url.port);
    if (port !== STANDARD_PORT[url.protocol] && !this.options.extraPorts.includes(port)) throw new SafeFetchError('port', { port });
    return url;
  }

  /**
   * Connect to the checked addresses in turn (IPv4 first: a host without IPv6 routes still works) until one accepts
   * the connection; only connection failures move on, any answer from a server is final. At most 3 are tried.
   */
  private async getFromFirstReachable(url: URL, addresses: PinnedAddress[], signal: AbortSignal): ReturnType<SafeFetcher['get']> {
    const ordered = [...addresses.filter((a) => a.family === 4), ...addresses.filter((a) => a.family === 6)].slice(0, 3);
    for (let i = 0; ; i++) {
      try {
        return await this.get(url, ordered[i]!, signal);
      } catch (err) {
        const connectFailed = !(err instanceof SafeFetchError) && !signal.aborted && isConnectError(err);
        if (!connectFailed || i + 1 >= ordered.length) throw err;
      }
    }
  }

  /** Resolve the host once and check every address: all must be allowed; these are the only ones we connect to. */
  private async checkedAddresses(url: URL, signal: AbortSignal): Promise<PinnedAddress[]> {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    let addresses: string[];
    if (isIpLiteral(host)) {
      addresses = [host];
    } else {
      try {
        addresses = await abortable(this.options.resolver(host), signal);
      } catch (err) {
        if (signal.aborted) throw err;
        throw new SafeFetchError('dns', { host }, { cause: err });
      }
      if (addresses.length === 0) throw new SafeFetchError('dns', { host });
    }
    const checked: PinnedAddress[] = [];
    for (const a of addresses) {
      const check = checkAddress(a, { allowLoopback: this.options.allowLoopbackForTests });
      // Any bad address refuses the host: a name that mixes public and private addresses is an attack, not a CDN.
      if (!check.ok) throw new SafeFetchError('blocked_address', { address: check.address, description: check.description });
      checked.push({ address: check.address, family: check.family });
    }
    return checked;
  }

  private async get(
    url: URL,
    pinned: PinnedAddress,
    signal: AbortSignal,
  ): Promise<{ kind: 'redirect'; location: string } | { kind: 'image'; bytes: Uint8Array; info: ImageInfo }> {
    const o = this.options;
    const agent = this.pinnedAgent(pinned);
    try {
      const res = await request(url, {
        method: 'GET',
        dispatcher: agent,
        signal,
        headers: { 'user-agent': o.userAgent, accept: 'image/png,image/jpeg,image/gif,image/webp;q=0.9,*/*;q=0.1' },
        headersTimeout: o.timeoutMs,
        bodyTimeout: o.timeoutMs,
      });
      if (REDIRECTS.has(res.statusCode)) {
        discard(res.body);
        const location = res.headers.location;
        const value = Array.isArray(location) ? location[0] : location;
        if (!value) throw new SafeFetchError('bad_redirect');
        return { kind: 'redirect', location: value };
      }
      if (res.statusCode !== 200) {
        discard(res.body);
        throw new SafeFetchError('status', { status: res.statusCode });
      }
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > o.maxBytes) {
        discard(res.body);
        throw new SafeFetchError('too_large', { max: o.maxBytes });
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let sniffed = false;
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > o.maxBytes) {
          discard(res.body);
          throw new SafeFetchError('too_large', { max: o.maxBytes });
        }
        chunks.push(chunk);
        if (!sniffed && size >= 16) {
          // Stop reading an HTML page or an executable as soon as its first bytes say so.
          if (!sniffImageType(Buffer.concat(chunks))) {
            discard(res.body);
            throw new SafeFetchError('not_image');
          }
          sniffed = true;
        }
      }
      const bytes = new Uint8Array(Buffer.concat(chunks, size));
      return { kind: 'image', bytes, info: checkImage(bytes, o) };
    } finally {
      void agent.close().catch(() => {});
    }
  }

  /** Everything leaves as a SafeFetchError; the cause is kept for logs. */
  private translate(err: unknown, deadlinePassed: boolean, host: string): SafeFetchError {
    if (err instanceof SafeFetchError) return err;
    if (deadlinePassed) return new SafeFetchError('timeout', { what: `over ${this.options.timeoutMs} ms in all` }, { cause: err });
    if (err instanceof undiciErrors.ConnectTimeoutError) return new SafeFetchError('timeout', { what: `connecting took over ${this.options.connectTimeoutMs} ms` }, { cause: err });
    if (err instanceof undiciErrors.HeadersTimeoutError || err instanceof undiciErrors.BodyTimeoutError) {
      return new SafeFetchError('timeout', { what: 'the response stalled' }, { cause: err });
    }
    return new SafeFetchError('connect', { host }, { cause: err });
  }
}

/** Drop a response body we will not read; undici reports a destroyed unread body as an error, which we expect. */
function discard(body: { on(event: 'error', fn: () => void): unknown; destroy(): unknown }): void {
  body.on('error', () => {});
  body.destroy();
}

/** Reject when the signal aborts, whatever the promise does. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
