/** A test shop: a config with every kind of background (free, priced, animated, retired, hidden) over temp images. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XpConfigHolder } from '../../src/config/xp-config.js';
import { tempDir } from '../helpers/temp.js';
import { gif } from '../cards/helpers.js';

export const PNG_1x1 = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5d1c2a80000000049454e44ae426082', 'hex');

export const SHOP_YAML = `currency:
  name: Stars
  emoji: "⭐"
shop:
  bgs:
    default: { name: Plain, price: 0, url: bg/plain.png }
    starter: { name: Starter, price: 0, url: bg/plain.png, desc: A free extra }
    aurora: { name: Aurora, price: 100, url: bg/aurora.gif, desc: Animated }
    sunset: { name: Sunset, price: 300, url: bg/plain.png }
    retired: { name: Retired, price: -1, url: bg/plain.png }
    secret: { name: Secret, price: 50, url: bg/plain.png, hidden: true }
`;

/** Writes the shop config and its images into a temp folder; returns the holder and the file path. */
export async function testShopConfig(yaml = SHOP_YAML): Promise<{ holder: XpConfigHolder; path: string; dir: string }> {
  const dir = tempDir('shop-');
  mkdirSync(join(dir, 'bg'));
  writeFileSync(join(dir, 'bg', 'plain.png'), PNG_1x1);
  writeFileSync(join(dir, 'bg', 'aurora.gif'), gif(2, () => 5, 4, 4));
  const path = join(dir, 'xp_config.yml');
  writeFileSync(path, yaml);
  return { holder: await XpConfigHolder.load(path), path, dir };
}
