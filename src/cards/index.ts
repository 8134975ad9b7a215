/** The card renderer's public surface: plain data in, image bytes out. */
export type { CardContext, CardFormat, RenderResult } from './context.js';
export { CardRenderer, DEFAULT_RENDERER_OPTIONS, type CardRendererOptions } from './renderer.js';
export { CardRenderError, type CardRenderErrorCode } from './errors.js';
export { CardPainter, DEFAULT_PAINTER_OPTIONS, type PainterOptions } from './painter.js';
export {
  accentColorSchema,
  checkAccent,
  contrastRatio,
  relativeLuminance,
  type AccentVerdict,
  type BackdropElement,
} from './contrast.js';
export {
  cardTemplateSchema,
  MAX_CARD_PIXELS,
  defaultCardTemplate,
  parseCardTemplate,
  CardTemplateError,
  type CardTemplate,
  type CardTemplateInput,
} from './template.js';
export { BackgroundSource, DEFAULT_BACKGROUND_SOURCE_OPTIONS, type BackgroundSourceOptions, type LoadedBackground } from './backgrounds.js';
export {
  curveChartSchema,
  historyChartSchema,
  type CurveChartContext,
  type HistoryChartContext,
} from './charts/context.js';
