/** The demo's card service: the real card pipeline when it is available, otherwise the embed fallback. */
import type { CardService } from '../app.js';

export async function createDemoCards(): Promise<(CardService & { close(): Promise<void> }) | null> {
  return null;
}
