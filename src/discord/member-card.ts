/**
 * A member's card as the card service is asked for it, gathered one way for `level check`, level-up cards and accent
 * checks: their background, club, the template, and the accent in effect (their own, else the server's; DESIGN §4.2).
 */
import type { AppContext, CardRequest, RenderedCard } from '../app.js';
import type { AccentVerdict } from '../cards/contrast.js';
import { relativeLuminance, hexToRgb } from '../cards/contrast.js';
import type { MemberLevel } from './commands/level/level-info.js';
import type { ResolvedUser } from './commands/types.js';
import { UserError } from './commands/errors.js';

/** The accent a member's card asks for: their own choice, else the server's default, else none. */
export async function accentFor(app: AppContext, guildId: string | null, userId: string): Promise<string | null> {
  return (await app.shop.accentOf(userId)) ?? (guildId ? (await app.core.engine.rules(guildId)).settings.cardAccent : null);
}

export async function memberCardRequest(
  app: AppContext,
  guildId: string | null,
  user: ResolvedUser,
  info: MemberLevel,
  overrides: Partial<Pick<CardRequest, 'accent' | 'levelUp' | 'background'>> = {},
): Promise<CardRequest> {
  return {
    user,
    info,
    background: (await app.shop.equippedBackground(user.id)).image,
    club: await app.clubs.clubOf(user.id),
    template: app.config.current.card,
    accent: await accentFor(app, guildId, user.id),
    levelUp: null,
    ...overrides,
  };
}

const ELEMENT_NAMES: Record<string, string> = { level: 'the level number', rank: 'the rank', bar: 'the progress bar' };

/** Why an accent was refused, with the shade that would pass. */
export function accentRefusal(v: AccentVerdict, where: string): string {
  const element = ELEMENT_NAMES[v.element ?? ''] ?? 'its text';
  let hint = 'No lighter or darker shade of it is readable there either; pick another colour.';
  if (v.suggestion) {
    const lighter = relativeLuminance(hexToRgb(v.suggestion)) > relativeLuminance(hexToRgb(v.accent));
    hint = `\`${v.suggestion}\`, a ${lighter ? 'lighter' : 'darker'} shade of it, is readable.`;
  }
  return `\`${v.accent}\` is too hard to read on ${where}: ${element} would reach a contrast of ${v.ratio}:1, and ${v.minRatio}:1 is needed (WCAG AA). ${hint} Nothing was changed.`;
}

/**
 * Draws `request` (which carries the accent to judge) and answers the card when the accent is readable on it; refuses
 * otherwise, naming the contrast and a shade that passes. The check runs on the real card because a translucent panel
 * over an image has no single colour (DESIGN §4.2).
 */
export async function renderWithReadableAccent(app: AppContext, request: CardRequest & { accent: string }, where: string): Promise<RenderedCard> {
  if (!app.cards) throw new UserError('invalid_state', 'This bot draws no card images, so there is no card to colour.');
  const card = await app.cards.render(request);
  if (!card?.accent) throw new UserError('invalid_state', 'I could not draw the card to check that colour just now (the card renderer is busy). Nothing was changed; try again in a moment.');
  if (!card.accent.ok) throw new UserError('bad_argument', accentRefusal(card.accent, where));
  return card;
}
