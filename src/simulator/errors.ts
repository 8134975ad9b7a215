/**
 * The Discord JSON errors the simulator answers with, in one table, so every route reports a given failure the
 * same way Discord does (discord.js turns `{code, message}` into a `DiscordAPIError` the bot can branch on).
 */
export const ApiErrors = {
  Unauthorized: { status: 401, code: 0, message: '401: Unauthorized' },
  MissingAccess: { status: 403, code: 50001, message: 'Missing Access' },
  MissingPermissions: { status: 403, code: 50013, message: 'Missing Permissions' },
  CannotSendToUser: { status: 403, code: 50007, message: 'Cannot send messages to this user' },
  CannotEditOthersMessage: { status: 403, code: 50005, message: 'Cannot edit a message authored by another user' },
  UnknownApplication: { status: 404, code: 10002, message: 'Unknown Application' },
  UnknownChannel: { status: 404, code: 10003, message: 'Unknown Channel' },
  UnknownGuild: { status: 404, code: 10004, message: 'Unknown Guild' },
  UnknownMember: { status: 404, code: 10007, message: 'Unknown Member' },
  UnknownCommand: { status: 404, code: 10063, message: 'Unknown application command' },
  UnknownMessage: { status: 404, code: 10008, message: 'Unknown Message' },
  UnknownRole: { status: 404, code: 10011, message: 'Unknown Role' },
  UnknownUser: { status: 404, code: 10013, message: 'Unknown User' },
  UnknownWebhook: { status: 404, code: 10015, message: 'Unknown Webhook' },
  UnknownInteraction: { status: 404, code: 10062, message: 'Unknown interaction' },
  UnknownRoute: { status: 404, code: 0, message: '404: Not Found' },
  MethodNotAllowed: { status: 405, code: 0, message: '405: Method Not Allowed' },
  AlreadyAcknowledged: { status: 400, code: 40060, message: 'Interaction has already been acknowledged.' },
  InvalidForm: { status: 400, code: 50035, message: 'Invalid Form Body' },
  EmptyMessage: { status: 400, code: 50006, message: 'Cannot send an empty message' },
  NonTextChannel: { status: 403, code: 50008, message: 'Cannot send messages in a non-text channel' },
  MaxApplicationCommands: { status: 400, code: 30032, message: 'Maximum number of application commands reached (100)' },
} as const satisfies Record<string, { status: number; code: number; message: string }>;

export type ApiErrorName = keyof typeof ApiErrors;

/**
 * Where a 50035 form body is wrong, as Discord reports it: the path of keys and list indexes to the bad field
 * (`[0, 'options', 3, 'name']`), Discord's error code for it and its text.
 */
export interface FormError {
  path: readonly (string | number)[];
  code: string;
  message: string;
}

/** Thrown by route handlers; the HTTP layer turns it into Discord's error body. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: number;

  constructor(
    readonly kind: ApiErrorName,
    /** What exactly was wrong, for the REST log (and the form-body `errors` of 50035). */
    readonly detail?: string,
    /** For 50035: the field that is wrong, placed in the `errors` tree at its path. */
    readonly form?: FormError,
  ) {
    const entry = ApiErrors[kind];
    super(detail ? `${entry.message}: ${detail}` : entry.message);
    this.name = 'ApiError';
    this.status = entry.status;
    this.code = entry.code;
  }

  /**
   * Discord's body: `{code, message}`, plus the form-body `errors` tree for 50035. Other details stay out of the
   * body (Discord sends none, and discord.js would fold them into `error.message`); the REST log keeps them.
   */
  toBody(): { code: number; message: string; errors?: unknown } {
    const { code, message } = ApiErrors[this.kind];
    if (this.kind === 'InvalidForm' && this.form) {
      const leaf: Record<string, unknown> = { _errors: [{ code: this.form.code, message: this.form.message }] };
      return { code, message, errors: this.form.path.reduceRight<Record<string, unknown>>((inner, key) => ({ [String(key)]: inner }), leaf) };
    }
    if (this.kind === 'InvalidForm' && this.detail) {
      return { code, message, errors: { _errors: [{ code: 'BASE_TYPE_INVALID', message: this.detail }] } };
    }
    return { code, message };
  }
}
