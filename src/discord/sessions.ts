/**
 * Button sessions: a message with buttons (leaderboard pages, shop browsing) that only its invoker may press,
 * and whose buttons are disabled when it times out. A session is opened before its message is sent, and its
 * buttons carry its id (`s:<session>:<action>`), so a press that races the send still finds it. Kept in memory;
 * after a restart, presses on old messages get "these buttons expired". Time comes from the injected scheduler.
 */
import type { ReplyPayload } from './commands/types.js';
import type { Scheduler } from '../util/clock.js';
import { UserError } from './commands/errors.js';

export interface SessionHandler {
  /** Who may press the buttons. */
  invokerId: string;
  /** A button was pressed: return the message's new content. `action` is the custom id after the session prefix. */
  press(action: string, presserId: string): Promise<ReplyPayload>;
  /** The current payload (its buttons are disabled on timeout). */
  current(): ReplyPayload;
}

interface Session {
  handler: SessionHandler;
  edit(payload: ReplyPayload): Promise<void>;
  timer: { cancel(): void };
}

export const SESSION_PREFIX = 's:';

/** A button's custom id within a session. */
export function sessionButtonId(sessionId: string, action: string): string {
  return `${SESSION_PREFIX}${sessionId}:${action}`;
}

export class ButtonSessions {
  private readonly sessions = new Map<string, Session>();
  private nextId = 1;

  constructor(
    private readonly scheduler: Scheduler,
    /** How long buttons stay live. Default 3 minutes. */
    private readonly timeoutMs = 180_000,
  ) {}

  /** Reserves a session id for the buttons of a message about to be sent. */
  reserve(): string {
    return (this.nextId++).toString(36);
  }

  /** Starts the session (call before sending its message); `edit` changes that message later. */
  open(sessionId: string, handler: SessionHandler, edit: (payload: ReplyPayload) => Promise<void>): void {
    const timer = this.scheduler.after(this.timeoutMs, () => this.expire(sessionId));
    this.sessions.set(sessionId, { handler, edit, timer });
  }

  /** Handles a press; throws a UserError for someone else's buttons or an expired session. */
  async press(customId: string, presserId: string): Promise<ReplyPayload> {
    const [sessionId = '', action = ''] = customId.slice(SESSION_PREFIX.length).split(':');
    const s = this.sessions.get(sessionId);
    if (!s) throw new UserError('expired', 'These buttons have expired. Run the command again.');
    if (presserId !== s.handler.invokerId) {
      throw new UserError('not_your_buttons', `Only <@${s.handler.invokerId}> can use these buttons. Run the command yourself to get your own.`);
    }
    return s.handler.press(action, presserId);
  }

  private async expire(sessionId: string): Promise<void> {
    const s = this.sessions.get(sessionId);
    if (!s) return;
    this.sessions.delete(sessionId);
    await s.edit(disableButtons(s.handler.current())).catch(() => {});
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Disables every open session's buttons (shutdown). */
  async closeAll(): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((id) => this.expire(id)));
    for (const s of this.sessions.values()) s.timer.cancel();
  }
}

export function disableButtons(payload: ReplyPayload): ReplyPayload {
  return {
    ...payload,
    files: undefined, // keep the message's attachments as they are
    components: payload.components?.map((row) => ({
      ...row,
      components: row.components.map((c) => ({ ...c, disabled: true })),
    })),
  };
}
