import { readFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CardRenderer } from '../../src/cards/renderer.js';
import { CardRenderError } from '../../src/cards/errors.js';
import { context, decode, decodeGif } from './helpers.js';

const fakeWorker = new URL('./fixtures/test-worker.ts', import.meta.url);
const aurora = readFileSync(new URL('../../assets/backgrounds/aurora.gif', import.meta.url));
const open: CardRenderer[] = [];
const pool = (options: ConstructorParameters<typeof CardRenderer>[0]) => {
  const r = new CardRenderer(options);
  open.push(r);
  return r;
};
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});

const code = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof CardRenderError ? e.code : String(e)),
  );

describe('CardRenderer (real worker, TypeScript sources under vitest)', () => {
  it('given a card, then a worker renders it to a PNG and reports its time', async () => {
    const r = pool({ size: 1 });
    const out = await r.render(context({ displayName: 'Ünïcörn 🦄 猫 ☆' }));
    expect(out.format).toBe('png');
    expect(out.ms).toBeGreaterThan(0);
    expect(decode(out.bytes).width).toBe(1000); // 500 at the default scale 2
  });

  it('given an animated background, then the worker returns a GIF with its frames', async () => {
    const r = pool({ size: 1 });
    const out = await r.render(context({ background: aurora, backgroundKey: 'aurora' }));
    expect(out.format).toBe('gif');
    expect(decodeGif(out.bytes).frames).toHaveLength(20);
  });
});

describe('CardRenderer pool mechanics', () => {
  it('given a full queue, then a render is refused at once with "busy"', async () => {
    const r = pool({ size: 1, maxQueue: 1, workerUrl: fakeWorker });
    const first = r.render(context({ displayName: 'slow:200' }));
    await new Promise((res) => setTimeout(res, 20));
    const second = r.render(context({ displayName: 'second' }));
    const third = r.render(context({ displayName: 'third' }));
    expect(await code(third)).toBe('busy');
    expect(await code(first)).toBe('ok');
    expect(Buffer.from((await second).bytes).toString()).toBe('second');
  });

  it('given a render that hangs, then it times out and the worker is replaced', async () => {
    const r = pool({ size: 1, timeoutMs: 300, workerUrl: fakeWorker });
    expect(await code(r.render(context({ displayName: 'hang' })))).toBe('timeout');
    const after = await r.render(context({ displayName: 'after' }));
    expect(Buffer.from(after.bytes).toString()).toBe('after');
  });

  it('given a worker that dies, then its render fails with "crashed" and a new worker takes the next one', async () => {
    const r = pool({ size: 1, workerUrl: fakeWorker });
    expect(await code(r.render(context({ displayName: 'crash' })))).toBe('crashed');
    const after = await r.render(context({ displayName: 'after' }));
    expect(Buffer.from(after.bytes).toString()).toBe('after');
  });

  it('given a render that throws, then it fails with "failed" and the worker keeps serving', async () => {
    const r = pool({ size: 1, workerUrl: fakeWorker });
    expect(await code(r.render(context({ displayName: 'throw' })))).toBe('failed');
    expect(await code(r.render(context({ displayName: 'fine' })))).toBe('ok');
  });

  it('given a closed renderer, then waiting and new renders are refused with "closed"', async () => {
    const r = pool({ size: 1, workerUrl: fakeWorker });
    const busy = code(r.render(context({ displayName: 'slow:300' })));
    const waiting = code(r.render(context({ displayName: 'waiting' })));
    await r.close();
    expect(await busy).toBe('closed');
    expect(await waiting).toBe('closed');
    expect(await code(r.render(context()))).toBe('closed');
  });

  it('given a burst within the queue bound, then every render completes with its own result', async () => {
    const r = pool({ size: 2, maxQueue: 40, workerUrl: fakeWorker });
    const names = Array.from({ length: 40 }, (_, i) => `card-${i}`);
    const out = await Promise.all(names.map((displayName) => r.render(context({ displayName }))));
    expect(out.map((o) => Buffer.from(o.bytes).toString())).toEqual(names);
  });

  it('given several workers, then renders run on all of them', async () => {
    const r = pool({ size: 2, workerUrl: fakeWorker });
    // Warm both workers up first (start-up loads tsx), then two slow renders must overlap.
    await Promise.all([r.render(context({ displayName: 'slow:50' })), r.render(context({ displayName: 'slow:50' }))]);
    const started = performance.now();
    await Promise.all([r.render(context({ displayName: 'slow:500' })), r.render(context({ displayName: 'slow:500' }))]);
    expect(performance.now() - started).toBeLessThan(950); // one after the other would take 1 000 ms or more
  });
});

describe('npm run card (node --import tsx)', () => {
  it('given values, then it writes a card file and prints the render time', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'card-cli-'));
    const out = path.join(dir, 'card.png');
    const root = new URL('../../', import.meta.url);
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cards/cli.ts', '--xp', '1000', '--rank', '7', '--club', 'Owls', '--out', out], {
      cwd: root,
    });
    expect(stdout).toMatch(/level 11 \(109\/135 XP\); render [\d.]+ ms/);
    expect(decode(readFileSync(out)).width).toBe(1000);
  });

  it('given a shop key instead of a file, then the background comes from xp_config.yml; an unknown key lists the keys', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'card-cli-'));
    const out = path.join(dir, 'card.gif');
    const root = new URL('../../', import.meta.url);
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cards/cli.ts', '--background', 'aurora', '--out', out], { cwd: root });
    expect(stdout).toMatch(/GIF 1000×490, \d+ frame/);
    const bad = await run(process.execPath, ['--import', 'tsx', 'src/cards/cli.ts', '--background', 'nope', '--out', out], { cwd: root }).catch((e: { code: number; stderr: string }) => e);
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringContaining('neither a file nor a background key in xp_config.yml (keys: default, aurora)') });
  });
});
