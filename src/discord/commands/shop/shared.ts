/** What the shop commands share: money formatting, key errors with "did you mean", image attachments. */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { AppContext } from '../../../app.js';
import type { ImageSource, ShopBackground } from '../../../config/xp-config.js';
import type { ReplyFile } from '../types.js';
import { UserError } from '../errors.js';

export function money(app: AppContext, amount: number): string {
  return `${amount.toLocaleString('en-US')} ${app.currency.emoji}`;
}

export function priceText(app: AppContext, bg: ShopBackground): string {
  if (bg.price < 0) return 'No longer sold';
  if (bg.price === 0) return 'Free';
  return money(app, bg.price);
}

export function unknownKey(key: string, suggestion: string | null, use: string): UserError {
  const hint = suggestion ? ` Did you mean \`${suggestion}\`?` : ' See `xpshop backgrounds` for the list.';
  return new UserError('not_found', `There is no background called \`${key}\`.${hint}`, use);
}

/** An embed image for a background preview: an attachment for a shipped file, the URL for a remote one. */
export function previewImage(image: ImageSource, key: string): { url: string; file: ReplyFile | null } {
  if (image.kind === 'url') return { url: image.url, file: null };
  const name = `bg-${key}${extname(image.path).toLowerCase() || '.png'}`;
  try {
    return { url: `attachment://${name}`, file: { name, data: readFileSync(image.path) } };
  } catch {
    return { url: '', file: null }; // the file vanished since the config was loaded: show the page without it
  }
}
