/** Errors the card renderer reports. The code is for programs; the message is what a log or a reply may show. */

export type CardRenderErrorCode = 'busy' | 'timeout' | 'crashed' | 'closed' | 'failed';

const MESSAGES: Record<CardRenderErrorCode, string> = {
  busy: 'The card renderer is busy; try again in a moment.',
  timeout: 'Rendering the card took too long.',
  crashed: 'The card renderer stopped unexpectedly while drawing this card.',
  closed: 'The card renderer is shut down.',
  failed: 'The card could not be drawn.',
};

export class CardRenderError extends Error {
  constructor(
    readonly code: CardRenderErrorCode,
    detail?: string,
    options?: { cause?: unknown },
  ) {
    super(detail ? `${MESSAGES[code]} (${detail})` : MESSAGES[code], options);
    this.name = 'CardRenderError';
  }
}
