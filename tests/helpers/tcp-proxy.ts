/**
 * A TCP proxy on 127.0.0.1 in front of the test PostgreSQL server, which can lose the server's answer to a COMMIT:
 * the server commits, the client sees its connection drop (the unknown-outcome COMMIT of DESIGN §7.1).
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface CommitDropper {
  /** The PostgreSQL URL through the proxy. */
  url: string;
  /** Loses the answer of the next `n` COMMITs. */
  dropNextCommits(n: number): void;
  dropped: number;
  close(): Promise<void>;
}

export async function commitDropper(serverUrl: string): Promise<CommitDropper> {
  const target = new URL(serverUrl);
  const sockets = new Set<Socket>();
  let toDrop = 0;
  const state = { dropped: 0 };
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    let commitSent = false;
    client.on('data', (chunk) => {
      // A simple-protocol Query message ('Q', length, text, NUL) carrying COMMIT.
      if (toDrop > 0 && chunk[0] === 0x51 && chunk.includes(Buffer.from('COMMIT\0'))) {
        toDrop--;
        commitSent = true;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (commitSent) {
        // The server has answered: the COMMIT happened. The client never hears it.
        state.dropped++;
        client.destroy();
        upstream.destroy();
        return;
      }
      client.write(chunk);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const url = new URL(serverUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return {
    url: url.toString(),
    dropNextCommits: (n) => void (toDrop = n),
    get dropped() {
      return state.dropped;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
