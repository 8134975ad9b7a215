import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCanvas } from '@napi-rs/canvas';
import { SafeFetcher, type SafeFetchOptions } from '../../src/net/safe-fetch.js';
import { SafeFetchError } from '../../src/net/errors.js';

const png = (() => {
  const c = createCanvas(16, 16);
  c.getContext('2d').fillRect(0, 0, 8, 8);
  return c.encodeSync('png');
})();

/** A PNG whose header claims 50 000 × 50 000 pixels: a decompression bomb as far as the header goes. */
const bombPng = (() => {
  const b = Buffer.from(png);
  b.writeUInt32BE(50_000, 16);
  b.writeUInt32BE(50_000, 20);
  return b;
})();

let server: http.Server;
let port = 0;
let base = '';
const hosts: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    hosts.push(req.headers.host ?? '');
    switch (url.pathname) {
      case '/good.png':
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length });
        res.end(png);
        return;
      case '/redirect':
        res.writeHead(302, { location: url.searchParams.get('to') ?? '/' });
        res.end();
        return;
      case '/loop':
        res.writeHead(301, { location: '/loop' });
        res.end();
        return;
      case '/big':
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': 2_000_000 });
        res.end(Buffer.concat([png, Buffer.alloc(2_000_000 - png.length)]));
        return;
      case '/big-chunked': {
        res.writeHead(200, { 'content-type': 'image/png' });
        res.write(png);
        let sent = 0;
        const pump = () => {
          while (sent < 1_000_000) {
            sent += 65_536;
            if (!res.write(Buffer.alloc(65_536))) {
              res.once('drain', pump);
              return;
            }
          }
          res.end();
        };
        pump();
        return;
      }
      case '/slow-body':
        res.writeHead(200, { 'content-type': 'image/png' });
        res.write(png.subarray(0, 20)); // then nothing, ever
        return;
      case '/slow-headers':
        return; // never answers
      case '/page.html':
        res.writeHead(200, { 'content-type': 'image/png' }); // lies about its type
        res.end('<!doctype html><html><body>not an image</body></html>');
        return;
      case '/bomb.png':
        res.writeHead(200, { 'content-type': 'image/png' });
        res.end(bombPng);
        return;
      default:
        res.writeHead(404);
        res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** The options a test fetcher uses: our port allowed, small timeouts, small byte cap; loopback as each test says. */
const fetcher = (o: Partial<SafeFetchOptions> = {}) =>
  new SafeFetcher({ extraPorts: [port], timeoutMs: 1_000, connectTimeoutMs: 500, maxBytes: 100_000, ...o });
const testing = (o: Partial<SafeFetchOptions> = {}) => fetcher({ allowLoopbackForTests: true, ...o });

async function failure(p: Promise<unknown>): Promise<SafeFetchError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(SafeFetchError);
    return e as SafeFetchError;
  }
  throw new Error('expected the fetch to fail');
}

describe('SafeFetcher over HTTPS', () => {
  const cert = readFileSync(new URL('./fixtures/test-tls.crt', import.meta.url), 'utf8');
  const key = readFileSync(new URL('./fixtures/test-tls.key', import.meta.url), 'utf8');
  let tlsServer: https.Server;
  let tlsPort = 0;
  const seen: { host?: string; sni?: string }[] = [];

  beforeAll(async () => {
    tlsServer = https.createServer({ cert, key }, (req, res) => {
      seen.push({ host: req.headers.host, sni: (req.socket as unknown as { servername?: string }).servername });
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(png);
    });
    await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
    tlsPort = (tlsServer.address() as AddressInfo).port;
  });
  afterAll(async () => {
    tlsServer.closeAllConnections();
    await new Promise((resolve) => tlsServer.close(resolve));
  });

  it('given a name pinned to the checked address, then TLS verifies that name (SNI) and Host carries it', async () => {
    const resolver = async () => ['127.0.0.1'];
    const f = new SafeFetcher({ resolver, extraPorts: [tlsPort], allowLoopbackForTests: true, tlsCa: cert, timeoutMs: 2_000 });
    const img = await f.fetchImage(`https://cdn.example.test:${tlsPort}/a.png`);
    expect(img.type).toBe('png');
    expect(seen.at(-1)).toEqual({ host: `cdn.example.test:${tlsPort}`, sni: 'cdn.example.test' });
  });

  it('given a certificate that does not match the name, then the fetch fails', async () => {
    const resolver = async () => ['127.0.0.1'];
    const f = new SafeFetcher({ resolver, extraPorts: [tlsPort], allowLoopbackForTests: true, tlsCa: cert, timeoutMs: 2_000 });
    const e = await failure(f.fetchImage(`https://other.example.test:${tlsPort}/a.png`));
    expect(e.code).toBe('connect');
    expect(e.message).toBe('could not connect to other.example.test');
  });
});

describe('SafeFetcher', () => {
  it('given the local server and default options, then loopback is refused', async () => {
    const e = await failure(fetcher().fetchImage(`${base}/good.png`));
    expect(e.code).toBe('blocked_address');
    expect(e.message).toBe('the address 127.0.0.1 is a loopback address');
  });

  it('given a good image and the test-only loopback option, then it is fetched and described', async () => {
    const img = await testing().fetchImage(`${base}/good.png`);
    expect(img).toMatchObject({ type: 'png', width: 16, height: 16, frames: 1, url: `${base}/good.png` });
    expect(Buffer.from(img.bytes).equals(png)).toBe(true);
  });

  it('given a non-standard port that is not configured, then it is refused', async () => {
    const e = await failure(testing({ extraPorts: [] }).fetchImage(`${base}/good.png`));
    expect(e.code).toBe('port');
  });

  it('given a redirect to a private address, then it is refused', async () => {
    const e = await failure(testing().fetchImage(`${base}/redirect?to=${encodeURIComponent('http://10.0.0.5/x.png')}`));
    expect(e.code).toBe('blocked_address');
    expect(e.message).toBe('the address 10.0.0.5 is private');
  });

  it('given a redirect to a host name that resolves to the metadata address, then it is refused', async () => {
    const resolver = async (host: string) => (host === 'metadata.evil.test' ? ['169.254.169.254'] : []);
    const e = await failure(testing({ resolver }).fetchImage(`${base}/redirect?to=${encodeURIComponent('http://metadata.evil.test/latest')}`));
    expect(e.message).toBe('the address 169.254.169.254 is link-local');
  });

  it('given a host name that resolves to a private address, then it is refused before connecting', async () => {
    const before = hosts.length;
    const resolver = async () => ['10.0.0.5'];
    const e = await failure(fetcher({ resolver }).fetchImage(`http://images.evil.test:${port}/good.png`));
    expect(e.code).toBe('blocked_address');
    expect(e.message).toBe('the address 10.0.0.5 is private');
    expect(hosts.length).toBe(before);
  });

  it.each(['::7f00:1', '::a9fe:a9fe', '64:ff9b::a00:1', '2002:a9fe:a9fe::1', 'fd00::1'])(
    'given a host name whose AAAA answer is %s, then it is refused before connecting',
    async (answer) => {
      const before = hosts.length;
      const e = await failure(fetcher({ resolver: async () => [answer] }).fetchImage(`http://v6.evil.test:${port}/good.png`));
      expect(e.code).toBe('blocked_address');
      expect(hosts.length).toBe(before);
    },
  );

  it('given a host name with one public and one private address, then it is refused', async () => {
    const resolver = async () => ['93.184.216.34', '192.168.0.10'];
    expect((await failure(fetcher({ resolver }).fetchImage('https://mixed.evil.test/a.png'))).message).toBe('the address 192.168.0.10 is private');
  });

  it('given a host name, then it is resolved once and the connection goes to the checked address with the Host kept', async () => {
    let lookups = 0;
    const resolver = async (host: string) => {
      lookups++;
      return host === 'cdn.example.test' ? ['127.0.0.1'] : [];
    };
    const img = await testing({ resolver }).fetchImage(`http://cdn.example.test:${port}/good.png`);
    expect(img.type).toBe('png');
    expect(lookups).toBe(1);
    expect(hosts.at(-1)).toBe(`cdn.example.test:${port}`);
  });

  it('given a name whose first address refuses connections, then the next checked address is tried', async () => {
    // 127.0.0.2 is loopback too but nothing listens there on this port; IPv4 addresses are tried in the given order.
    const resolver = async () => ['127.0.0.2', '127.0.0.1'];
    const f = testing({ resolver });
    const img = await f.fetchImage(`http://two.example.test:${port}/good.png`);
    expect(img.type).toBe('png');
  });

  it.each(['/big', '/big-chunked'])('given a body over the byte cap (%s), then it is refused', async (path) => {
    const e = await failure(testing().fetchImage(`${base}${path}`));
    expect(e.code).toBe('too_large');
  });

  it.each(['/slow-body', '/slow-headers'])('given a server that stalls (%s), then the fetch times out', async (path) => {
    const started = performance.now();
    const e = await failure(testing({ timeoutMs: 300 }).fetchImage(`${base}${path}`));
    expect(e.code).toBe('timeout');
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('given a page that is not an image (whatever its Content-Type says), then it is refused', async () => {
    expect((await failure(testing().fetchImage(`${base}/page.html`))).code).toBe('not_image');
  });

  it('given an image whose header declares huge dimensions, then it is refused', async () => {
    const e = await failure(testing().fetchImage(`${base}/bomb.png`));
    expect(e.code).toBe('image_too_large');
    expect(e.message).toMatch(/50000×50000/);
  });

  it('given a redirect loop, then it stops after the limit', async () => {
    expect((await failure(testing({ maxRedirects: 2 }).fetchImage(`${base}/loop`))).code).toBe('too_many_redirects');
  });

  it('given a 404, then the status is reported', async () => {
    expect((await failure(testing().fetchImage(`${base}/missing.png`))).message).toBe('the server answered HTTP 404');
  });

  it.each([
    ['file:///etc/passwd', 'scheme'],
    ['data:image/png;base64,iVBORw0KGgo=', 'scheme'],
    ['ftp://example.com/a.png', 'scheme'],
    ['http://user:secret@example.com/a.png', 'credentials'],
    ['not a url', 'invalid_url'],
    ['http://[::1]/a.png', 'blocked_address'],
    ['http://0x7f000001/a.png', 'blocked_address'],
    ['http://169.254.169.254/latest/meta-data', 'blocked_address'],
    // IPv6 literals that embed an IPv4 address: the URL parser writes [::127.0.0.1] as [::7f00:1].
    ['http://[::127.0.0.1]/a.png', 'blocked_address'],
    ['http://[::169.254.169.254]/latest/meta-data', 'blocked_address'],
    ['http://[::a00:1]/a.png', 'blocked_address'],
    ['http://[::ffff:169.254.169.254]/latest/meta-data', 'blocked_address'],
    ['http://[64:ff9b::7f00:1]/a.png', 'blocked_address'],
    ['http://[2002:7f00:1::1]/a.png', 'blocked_address'],
  ])('given %s, then it is refused (%s) without any request', async (url, code) => {
    const before = hosts.length;
    expect((await failure(fetcher({ resolver: async () => ['127.0.0.1'] }).fetchImage(url))).code).toBe(code);
    expect(hosts.length).toBe(before);
  });
});
