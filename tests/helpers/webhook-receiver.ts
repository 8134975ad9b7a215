/**
 * A webhook receiver on 127.0.0.1 for end-to-end tests: records every POST (headers and body) and answers with
 * `state.status`; `verify` checks a delivery's signature (DESIGN §14.4). `close` stops it.
 */
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';

export interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export async function webhookReceiver() {
  const received: Received[] = [];
  const state = { status: 200 };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(state.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    received,
    state,
    port,
    url: `http://127.0.0.1:${port}/hook`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Whether a delivery carries the HMAC-SHA256 of "t.body" under the webhook's secret. */
export function verifySignature(r: Received, secret: string): boolean {
  const [t, v1] = String(r.headers['x-unicornia-signature']).split(',').map((p) => p.split('=')[1]!);
  return v1 === createHmac('sha256', secret).update(`${t}.${r.body}`).digest('hex');
}
