/**
 * Errors a user can cause, as typed values with a code; `userMessage` is the one place their text is made.
 * Anything else thrown by a handler is logged and answered with a short generic line (no stack traces).
 */
export type UserErrorCode =
  | 'bad_argument'
  | 'missing_argument'
  | 'not_admin'
  | 'not_owner'
  | 'guild_only'
  | 'not_found'
  | 'invalid_state'
  | 'not_your_buttons'
  | 'expired';

export class UserError extends Error {
  constructor(
    readonly code: UserErrorCode,
    message: string,
    /** Usage line shown under the message, e.g. "!unicornia xp cooldown <value>". */
    readonly usage?: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export const GENERIC_FAILURE = 'Something went wrong on my side while running that command. The bot owner can find the details in the log.';

export function userMessage(error: UserError): string {
  return error.usage ? `${error.message}\nUsage: \`${error.usage}\`` : error.message;
}
