/**
 * Files xp_config.yml points at: the folder rule holds after symlinks are followed, only real images within the
 * fetched-image limits are accepted (they are attached to public replies), and font paths follow the same rule.
 */
import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { parseXpConfig, XpConfigError, type ConfigIssue, type ImageSource } from '../../src/config/xp-config.js';
import { previewImage } from '../../src/discord/commands/shop/shared.js';
import { BackgroundSource } from '../../src/cards/backgrounds.js';
import { FONT_DIR } from '../../src/cards/fonts.js';
import { tempDir } from '../helpers/temp.js';
import { gifBomb } from '../cards/helpers.js';

const png = createCanvas(4, 4).encodeSync('png');

/** A project folder with a real image, and a secret file outside it. */
function project() {
  const outside = tempDir('outside-');
  const secret = join(outside, 'secret.txt');
  writeFileSync(secret, 'DISCORD_TOKEN=hunter2');
  const root = tempDir('project-');
  mkdirSync(join(root, 'bg'));
  writeFileSync(join(root, 'bg', 'ok.png'), png);
  return { root, secret };
}

const config = (url: string, extra = '') => `shop:\n  bgs:\n    default: { name: D, price: 0, url: bg/ok.png }\n    x: { name: X, price: 1, url: ${url} }\n${extra}`;

async function issues(text: string, root: string): Promise<ConfigIssue[]> {
  try {
    await parseXpConfig(text, { root });
  } catch (error) {
    expect(error).toBeInstanceOf(XpConfigError);
    return [...(error as XpConfigError).issues];
  }
  return [];
}

describe('files the config points at', () => {
  it('given a symlink inside the folder to a file outside it then it is refused', async () => {
    const { root, secret } = project();
    symlinkSync(secret, join(root, 'bg', 'evil.png'));
    expect(await issues(config('bg/evil.png'), root)).toEqual([{ path: 'shop.bgs.x.url', line: 4, message: expect.stringContaining('leads outside the project folder') }]);
  });

  it('given a symlinked folder that leads outside then it is refused too', async () => {
    const { root, secret } = project();
    symlinkSync(join(secret, '..'), join(root, 'linked'));
    expect((await issues(config('linked/secret.txt'), root))[0]!.message).toContain('leads outside the project folder');
  });

  it('given a file inside the folder that is not an image (a config, the database) then it is refused', async () => {
    const { root } = project();
    writeFileSync(join(root, 'package.json'), '{"name":"x"}');
    writeFileSync(join(root, 'bot.db'), Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4096)]));
    expect((await issues(config('package.json'), root))[0]!.message).toContain('is not a PNG, JPEG, GIF or WebP image');
    expect((await issues(config('bot.db'), root))[0]!.message).toContain('is not a PNG, JPEG, GIF or WebP image');
  });

  it('given an image over the fetched-image limits (a GIF bomb, a huge header) then it is refused', async () => {
    const { root } = project();
    writeFileSync(join(root, 'bg', 'bomb.gif'), gifBomb(3, 8000));
    const huge = Buffer.from(png);
    huge.writeUInt32BE(50_000, 16);
    huge.writeUInt32BE(50_000, 20);
    writeFileSync(join(root, 'bg', 'huge.png'), huge);
    expect((await issues(config('bg/bomb.gif'), root))[0]!.message).toContain('is not a PNG, JPEG, GIF or WebP image');
    expect((await issues(config('bg/huge.png'), root))[0]!.message).toContain('50000×50000, larger than allowed');
  });

  it('given card font paths then they follow the same folder rule and must be fonts', async () => {
    const { root, secret } = project();
    mkdirSync(join(root, 'fonts'));
    copyFileSync(join(FONT_DIR, 'NotoSans-Regular.ttf'), join(root, 'fonts', 'mine.ttf'));
    symlinkSync(secret, join(root, 'fonts', 'evil.ttf'));
    writeFileSync(join(root, 'fonts', 'notes.ttf'), 'not a font');
    const withFont = (p: string) => config('bg/ok.png', `card:\n  fonts:\n    - { family: Mine, path: ${p} }\n`);
    const ok = await parseXpConfig(withFont('fonts/mine.ttf'), { root });
    expect(ok.card.fonts).toEqual([{ family: 'Mine', path: join(root, 'fonts', 'mine.ttf') }]);
    expect((await issues(withFont('fonts/evil.ttf'), root))[0]).toMatchObject({ path: 'card.fonts.0.path', message: expect.stringContaining('leads outside') });
    expect((await issues(withFont('../x.ttf'), root))[0]!.message).toContain('must be a path inside the project folder');
    expect((await issues(withFont('fonts/notes.ttf'), root))[0]!.message).toContain('is not a TrueType, OpenType or WOFF font');
    expect((await issues(withFont('fonts/missing.ttf'), root))[0]!.message).toContain('does not exist');
  });

  it('given a checked file swapped for a link to a secret after loading then the preview attaches nothing and the card skips it', async () => {
    const { root, secret } = project();
    const c = await parseXpConfig(config('bg/ok.png'), { root });
    const image = c.shop.bgs.get('x')!.preview as Extract<ImageSource, { kind: 'file' }>;
    expect((await previewImage(image, 'x')).file?.data.equals(png)).toBe(true);
    rmSync(image.path);
    symlinkSync(secret, image.path);
    expect(await previewImage(image, 'x')).toEqual({ url: '', file: null });
    const backgrounds = new BackgroundSource({ get: async () => null });
    expect(await backgrounds.load(image.path, image.root)).toBeNull();
  });
});
