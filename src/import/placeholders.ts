/**
 * Nadeko level-up messages (`Notify.Message`) into Unicornia announcement templates.
 *
 * Nadeko fills a notify message with its replacement service: the event's own placeholders (`%event.level%`,
 * `%event.user%`) and the general ones (`%user.mention%`, `%server.name%`, …). Unicornia's template knows
 * `{user}` (mention), `{username}`, `{level}` and `{guild}`. Placeholders with no Unicornia counterpart (rank,
 * avatar, time, …) are left as they are and reported, so the owner can edit the template afterwards.
 * A message saved as an embed (Nadeko's SmartText JSON) is flattened to its text: Unicornia's template is text.
 */
export const PLACEHOLDERS: Readonly<Record<string, string>> = Object.freeze({
  '%user.mention%': '{user}',
  '%event.user%': '{username}',
  '%user.name%': '{username}',
  '%user.fullname%': '{username}',
  '%user.displayname%': '{username}',
  '%event.level%': '{level}',
  '%xp.level%': '{level}',
  '%server.name%': '{guild}',
});

export interface TranslatedTemplate {
  /** The Unicornia template; null when the message had no text at all. */
  template: string | null;
  /** Nadeko placeholders left untranslated, in order of first appearance. */
  untranslated: string[];
  /** The message was an embed and only its text was kept. */
  flattened: boolean;
}

const TOKEN = /%[a-z][a-z0-9_.]*%/gi;

export function translateNadekoMessage(message: string): TranslatedTemplate {
  const { text, flattened } = messageText(message);
  if (text.trim() === '') return { template: null, untranslated: [], flattened };
  const untranslated: string[] = [];
  const template = text.replace(TOKEN, (token) => {
    const mapped = PLACEHOLDERS[token.toLowerCase()];
    if (mapped !== undefined) return mapped;
    if (!untranslated.includes(token)) untranslated.push(token);
    return token;
  });
  return { template, untranslated, flattened };
}

/** Plain text as is; SmartText JSON (`{"plainText"|"content", "description"|"embeds":[…]}`) as its text parts. */
function messageText(message: string): { text: string; flattened: boolean } {
  const trimmed = message.trim();
  if (!trimmed.startsWith('{')) return { text: message, flattened: false };
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return { text: message, flattened: false };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { text: message, flattened: false };
  const obj = parsed as Record<string, unknown>;
  const parts: string[] = [];
  const push = (v: unknown) => {
    if (typeof v === 'string' && v.trim() !== '') parts.push(v);
  };
  push(obj['plainText'] ?? obj['content']);
  const embeds = Array.isArray(obj['embeds']) ? (obj['embeds'] as unknown[]) : [obj];
  for (const e of embeds) {
    if (typeof e !== 'object' || e === null) continue;
    const embed = e as Record<string, unknown>;
    push(embed['title']);
    push(embed['description']);
  }
  return { text: parts.join('\n'), flattened: true };
}
