/** What the shop commands share: money formatting, key errors with "did you mean", image attachments. */
import { readLocalImage } from '../../../config/local-files.js';
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

/**
 * An embed image for a background preview: an attachment for a shipped file, the URL for a remote one. The file is
 * read asynchronously and checked again as at config load (inside the config's folder after symlinks, an image
 * within the fetched-image limits): it goes into a public reply, and it may have changed since.
 */
export async function previewImage(image: ImageSource, key: string): Promise<{ url: string; file: ReplyFile | null }> {
  if (image.kind === 'url') return { url: image.url, file: null };
  try {
    const local = await readLocalImage(image.root, image.path);
    const name = `bg-${key}.${local.info.type === 'jpeg' ? 'jpg' : local.info.type}`;
    return { url: `attachment://${name}`, file: { name, data: Buffer.from(local.bytes) } };
  } catch {
    return { url: '', file: null }; // the file vanished or changed since the config was loaded: show the page without it
  }
}
