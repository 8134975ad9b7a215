import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_XP_CONFIG_PATH, XpConfigError, XpConfigHolder, loadXpConfig, parseXpConfig, type ConfigIssue } from '../../src/config/xp-config.js';
import { defaultCardTemplate } from '../../src/cards/template.js';
import { tempDir } from '../helpers/temp.js';
import { createCanvas } from '@napi-rs/canvas';
import { gif } from '../cards/helpers.js';

/** A folder with two images, as a project root for relative paths. */
function root(): string {
  const dir = tempDir('xpconfig-');
  mkdirSync(join(dir, 'bg'));
  writeFileSync(join(dir, 'bg', 'a.png'), createCanvas(4, 4).encodeSync('png'));
  writeFileSync(join(dir, 'bg', 'b.gif'), gif(2, () => 5, 8, 8));
  return dir;
}

const GOOD = `currency:
  name: Stars
  emoji: "⭐"
shop:
  bgs:
    default:
      name: Plain
      price: 0
      url: bg/a.png
    sparkle:
      name: Sparkle
      price: 250
      url: bg/b.gif
      preview: bg/a.png
      desc: Animated
    retired:
      name: Old
      price: -1
      url: https://cdn.example.com/old.png
    secret:
      name: Secret
      price: 10
      url: bg/a.png
      hidden: true
card:
  bar:
    height: 24
`;

async function issuesOf(text: string, dir = root()): Promise<ConfigIssue[]> {
  try {
    await parseXpConfig(text, { root: dir });
  } catch (error) {
    expect(error).toBeInstanceOf(XpConfigError);
    return [...(error as XpConfigError).issues];
  }
  throw new Error('expected the config to be refused');
}

describe('xp_config.yml loader', () => {
  it('given the shipped xp_config.yml then it loads with a free default, a priced animated background and the card template', async () => {
    const c = await loadXpConfig(DEFAULT_XP_CONFIG_PATH);
    const def = c.shop.bgs.get('default')!;
    expect(def.price).toBe(0);
    expect(def.image.kind).toBe('file');
    const animated = [...c.shop.bgs.values()].find((b) => b.image.kind === 'file' && b.image.path.endsWith('.gif'));
    expect(animated?.price).toBeGreaterThan(0);
    expect(c.currency.name.length).toBeGreaterThan(0);
    expect(c.card.width).toBeGreaterThan(0);
  });

  it('given a good file then every field is read, images resolve against the root and the card keeps its defaults elsewhere', async () => {
    const dir = root();
    const c = await parseXpConfig(GOOD, { root: dir });
    expect(c.currency).toEqual({ name: 'Stars', emoji: '⭐' });
    expect([...c.shop.bgs.keys()]).toEqual(['default', 'sparkle', 'retired', 'secret']);
    const sparkle = c.shop.bgs.get('sparkle')!;
    expect(sparkle).toMatchObject({ name: 'Sparkle', price: 250, desc: 'Animated', hidden: false });
    expect(sparkle.image).toEqual({ kind: 'file', path: realpathSync(join(dir, 'bg', 'b.gif')), ref: 'bg/b.gif', root: dir });
    expect(sparkle.preview).toMatchObject({ kind: 'file', path: realpathSync(join(dir, 'bg', 'a.png')) });
    expect(c.shop.bgs.get('retired')!.image).toEqual({ kind: 'url', url: 'https://cdn.example.com/old.png', ref: 'https://cdn.example.com/old.png' });
    expect(c.shop.bgs.get('secret')!.hidden).toBe(true);
    expect(c.card.bar.height).toBe(24);
    expect(c.card.bar.width).toBe(defaultCardTemplate.bar.width);
  });

  it('given broken YAML then the error names the line', async () => {
    const issues = await issuesOf('shop:\n  bgs:\n    default: {name: D, price: 0, url: bg/a.png\n  other: 1\n');
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toMatch(/not valid YAML/);
    expect(issues[0]!.line).toBeGreaterThanOrEqual(3);
  });

  it('given a wrong type then the error names the field path and the line of that field', async () => {
    const text = GOOD.replace('price: 250', 'price: lots');
    const issues = await issuesOf(text);
    expect(issues).toEqual([{ path: 'shop.bgs.sparkle.price', line: 12, message: expect.stringMatching(/whole number/) }]);
  });

  it('given a price below -1 or a fraction then each is refused with its own line', async () => {
    const text = GOOD.replace('price: 250', 'price: 2.5').replace('price: 10', 'price: -5');
    const issues = await issuesOf(text);
    expect(issues.map((i) => [i.path, i.line])).toEqual([
      ['shop.bgs.sparkle.price', 12],
      ['shop.bgs.secret.price', 22],
    ]);
  });

  it('given an unknown field (a typo) then it is named with its line and the fields that exist', async () => {
    const issues = await issuesOf(GOOD.replace('      desc: Animated', '      descr: Animated'));
    expect(issues).toEqual([{ path: 'shop.bgs.sparkle.descr', line: 15, message: expect.stringContaining('name, price, url') }]);
    const top = await issuesOf(`${GOOD}colour: red\n`);
    expect(top).toEqual([{ path: 'colour', line: 28, message: expect.stringContaining('currency, shop and card') }]);
  });

  it('given a missing required field then it is reported at its parent line', async () => {
    const issues = await issuesOf(GOOD.replace('      url: bg/b.gif\n', ''));
    expect(issues).toEqual([{ path: 'shop.bgs.sparkle.url', line: 10, message: 'is required' }]);
  });

  it('given a bad card template then the error is under card. with its line', async () => {
    const issues = await issuesOf(GOOD.replace('height: 24', 'height: tall'));
    expect(issues).toEqual([{ path: 'card.bar.height', line: 27, message: expect.any(String) }]);
    const colour = await issuesOf(`${GOOD}    fillFrom: "not a colour!"\n`);
    expect(colour[0]).toMatchObject({ path: 'card.bar.fillFrom', line: 28 });
  });

  it('given a bad key, a missing file, an absolute path, a path going up and a file: URL then each is refused with its line', async () => {
    const text = `shop:
  bgs:
    default: {name: D, price: 0, url: bg/a.png}
    Bad Key: {name: X, price: 1, url: bg/a.png}
    gone: {name: X, price: 1, url: bg/missing.png}
    abs: {name: X, price: 1, url: /etc/passwd}
    up: {name: X, price: 1, url: ../secret.png}
`;
    const issues = await issuesOf(text);
    expect(issues.map((i) => [i.path, i.line])).toEqual([
      ['shop.bgs.Bad Key', 4],
      ['shop.bgs.gone.url', 5],
      ['shop.bgs.abs.url', 6],
      ['shop.bgs.up.url', 7],
    ]);
    expect(issues[1]!.message).toContain('does not exist');
    const file = await issuesOf('shop:\n  bgs:\n    default: {name: D, price: 0, url: "file:///etc/passwd"}\n');
    expect(file).toEqual([{ path: 'shop.bgs.default.url', line: 3, message: expect.stringContaining('http(s) URL or a path') }]);
  });

  it('given no default background, a priced one or a hidden one then it is refused', async () => {
    expect((await issuesOf('shop:\n  bgs:\n    x: {name: X, price: 1, url: bg/a.png}\n'))[0]).toMatchObject({ path: 'shop.bgs', line: 2 });
    expect((await issuesOf('shop:\n  bgs:\n    default: {name: D, price: 5, url: bg/a.png}\n'))[0]).toMatchObject({ path: 'shop.bgs.default.price', line: 3 });
    expect((await issuesOf('shop:\n  bgs:\n    default: {name: D, price: 0, url: bg/a.png, hidden: true}\n'))[0]).toMatchObject({ path: 'shop.bgs.default.hidden', line: 3 });
  });

  it('given several problems then the message lists each one as "line N, path: message"', async () => {
    const text = GOOD.replace('price: 250', 'price: lots').replace('name: Stars', 'name: ""');
    try {
      await parseXpConfig(text, { root: root(), filename: 'xp_config.yml' });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toBe(
        'xp_config.yml is not valid:\n  line 2, currency.name: must not be empty\n  line 12, shop.bgs.sparkle.price: must be a whole number (0 = free, -1 = no longer sold)',
      );
    }
  });
});

describe('XpConfigHolder', () => {
  it('given a broken file on reload then the running config is kept and the error says what and where; a good file applies at once', async () => {
    const dir = root();
    const path = join(dir, 'xp_config.yml');
    writeFileSync(path, GOOD);
    const holder = await XpConfigHolder.load(path);
    const before = holder.current;
    expect(before.shop.bgs.get('sparkle')!.price).toBe(250);

    writeFileSync(path, GOOD.replace('price: 250', 'price: [1, 2]'));
    const bad = await holder.reload();
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.issues).toEqual([{ path: 'shop.bgs.sparkle.price', line: 12, message: expect.any(String) }]);
    expect(holder.current).toBe(before);

    writeFileSync(path, GOOD.replace('price: 250', 'price: 300'));
    const good = await holder.reload();
    expect(good.ok).toBe(true);
    expect(holder.current.shop.bgs.get('sparkle')!.price).toBe(300);
  });

  it('given a file that disappeared then reload keeps the config and says the file does not exist', async () => {
    const dir = root();
    const path = join(dir, 'xp_config.yml');
    writeFileSync(path, GOOD);
    const holder = await XpConfigHolder.load(path);
    writeFileSync(path, readFileSync(path, 'utf8')); // still fine
    expect((await holder.reload()).ok).toBe(true);
    const missing = new XpConfigHolder(holder.current, join(dir, 'nope.yml'));
    const r = await missing.reload();
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('does not exist');
    expect(missing.current).toBe(holder.current);
  });

  it('given a broken file at start then load throws the same error (main prints it and exits)', async () => {
    const dir = root();
    const path = join(dir, 'xp_config.yml');
    writeFileSync(path, 'shop:\n  bgs: 3\n');
    await expect(XpConfigHolder.load(path)).rejects.toThrow(/line 2, shop\.bgs: /);
  });
});
