/**
 * XP cards (`level check`, level-up cards, accent checks) and charts (`curve preview`, `level history`): gathers what the card shows (XP with the buffer included, rank, the equipped
 * background, the club, the avatar) and hands plain data to the worker-thread renderer. Images come through the
 * byte-bounded cache in front of the SSRF-safe fetcher; a failed image is a placeholder. A failed render (pool busy,
 * timeout) answers null, and the command falls back to the embed.
 */
import type { CardService, CardRequest, RenderedCard } from '../app.js';
import { CardRenderer, CardRenderError, BackgroundSource, type CardRendererOptions, type CurveChartContext, type HistoryChartContext } from '../cards/index.js';
import { ImageCache, SafeFetcher, smallDiscordImageUrl } from '../net/index.js';
import type { Logger } from '../util/logger.js';

export class XpCardService implements CardService {
  constructor(
    private readonly renderer: CardRenderer,
    private readonly images: ImageCache,
    private readonly backgrounds: BackgroundSource,
    private readonly logger: Logger,
  ) {}

  /** The production wiring: a pool sized to the cores, the safe fetcher, file backgrounds resolved from `baseDir`. */
  static create(logger: Logger, options: { fetcher?: Pick<SafeFetcher, 'fetchImage'>; baseDir?: string; renderer?: Partial<CardRendererOptions> } = {}): XpCardService {
    const images = new ImageCache(options.fetcher ?? new SafeFetcher(), { logger });
    return new XpCardService(new CardRenderer({ logger, ...options.renderer }), images, new BackgroundSource(images, { logger, baseDir: options.baseDir ?? process.cwd() }), logger);
  }

  async render(r: CardRequest): Promise<RenderedCard | null> {
    const [background, avatar, clubIcon] = await Promise.all([
      r.background?.kind === 'file' ? this.backgrounds.load(r.background.path, r.background.root) : this.backgrounds.load(r.background?.url),
      this.images.get(r.user.avatarUrl ? smallDiscordImageUrl(r.user.avatarUrl) : null),
      this.images.get(r.club?.iconUrl),
    ]);
    try {
      const card = await this.renderer.render({
        displayName: r.user.displayName,
        avatar,
        level: r.info.level,
        rank: r.info.rank,
        xpInLevel: r.info.xpInLevel,
        xpNeeded: r.info.xpNeeded,
        totalXp: r.info.totalXp,
        clubName: r.club?.name ?? null,
        clubIcon,
        background: background?.bytes ?? null,
        backgroundKey: background?.key ?? null,
        template: r.template,
        accent: r.accent,
        levelUp: r.levelUp,
      });
      return { bytes: card.bytes, format: card.format, accent: card.accent };
    } catch (error) {
      if (!(error instanceof CardRenderError)) throw error;
      this.logger.warn({ code: error.code, userId: r.user.id }, 'card render failed; answering with the embed');
      return null;
    }
  }

  curveChart(chart: CurveChartContext): Promise<Buffer | null> {
    return this.chart('curve', () => this.renderer.renderCurveChart(chart));
  }

  historyChart(chart: HistoryChartContext): Promise<Buffer | null> {
    return this.chart('history', () => this.renderer.renderHistoryChart(chart));
  }

  /** A chart's PNG, or null when the pool could not draw it (the command then answers without the image). */
  private async chart(kind: string, render: () => Promise<{ bytes: Buffer }>): Promise<Buffer | null> {
    try {
      return (await render()).bytes;
    } catch (error) {
      if (!(error instanceof CardRenderError)) throw error;
      this.logger.warn({ code: error.code, kind }, 'chart render failed; answering without it');
      return null;
    }
  }

  close(): Promise<void> {
    return this.renderer.close();
  }
}
