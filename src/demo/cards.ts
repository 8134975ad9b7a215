/** The demo's card service: the real renderer; image fetching is refused at once, since the demo is offline. */
import { XpCardService } from '../discord/xp-card.js';
import { SafeFetchError } from '../net/index.js';
import type { Logger } from '../util/logger.js';

export function createDemoCards(logger: Logger): XpCardService {
  const offline = {
    fetchImage: async (url: string | URL): Promise<never> => {
      throw new SafeFetchError('dns', { host: new URL(String(url)).host });
    },
  };
  return XpCardService.create(logger, { fetcher: offline, renderer: { size: 1 } });
}
