/**
 * Discord's message limits, and fitting text into them without breaking it (DESIGN §3). Discord refuses a whole
 * message when any part is over its limit, and the user then gets no answer at all; so every reply and announcement
 * passes through `fitMessage` (the second line of defence), and lists that grow with the data say "… and N more"
 * themselves (`fitLines`) instead of being cut mid-line.
 */
import type { APIEmbed } from 'discord.js';

export const LIMITS = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  /** Title, description, field names and values, footer text and author name of all embeds together. */
  embedTotal: 6000,
} as const;

/**
 * Text cut to at most `max` UTF-16 units, ending in "…" when cut. Never splits a surrogate pair (half an emoji is
 * invalid UTF-16, which Discord refuses) or a mention/emoji/timestamp token such as `<@123…>`.
 */
export function fitText(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--; // a high surrogate whose pair would be cut off
  const open = text.lastIndexOf('<', end - 1);
  if (open >= 0 && text.indexOf('>', open) >= end && /^<(@|#|a?:|t:|\/)/.test(text.slice(open, open + 3))) end = open;
  return `${text.slice(0, end).trimEnd()}…`;
}

/** Items joined by `sep` (a newline by default), as many as fit in `max`, then "… and N more". */
export function fitLines(items: readonly string[], max: number, sep = '\n'): string {
  const more = (n: number) => `… and ${n} more`;
  let out = '';
  for (let i = 0; i < items.length; i++) {
    const next = out ? `${out}${sep}${items[i]}` : items[i]!;
    const rest = items.length - i - 1;
    if (next.length + (rest > 0 ? sep.length + more(rest).length : 0) > max) {
      return fitText(out ? `${out}${sep}${more(items.length - i)}` : more(items.length), max);
    }
    out = next;
  }
  return out;
}

/** An embed within every per-field limit. */
function fitEmbedParts(e: APIEmbed): APIEmbed {
  return {
    ...e,
    ...(e.title !== undefined ? { title: fitText(e.title, LIMITS.title) } : {}),
    ...(e.description !== undefined ? { description: fitText(e.description, LIMITS.description) } : {}),
    ...(e.footer ? { footer: { ...e.footer, text: fitText(e.footer.text, LIMITS.footer) } } : {}),
    ...(e.author ? { author: { ...e.author, name: fitText(e.author.name, LIMITS.author) } } : {}),
    ...(e.fields
      ? { fields: e.fields.slice(0, LIMITS.fields).map((f) => ({ ...f, name: fitText(f.name, LIMITS.fieldName) || '\u200b', value: fitText(f.value, LIMITS.fieldValue) || '\u200b' })) }
      : {}),
  };
}

const embedLength = (e: APIEmbed) =>
  (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.author?.name.length ?? 0) + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);

/**
 * Embeds within the per-field limits and, together, within 6 000 characters: descriptions are shortened first, then
 * field values, field names, footers and titles, each down to "…" at the least (Discord refuses empty fields).
 */
export function fitEmbeds(embeds: readonly APIEmbed[]): APIEmbed[] {
  const fitted = embeds.slice(0, LIMITS.embeds).map(fitEmbedParts);
  let over = fitted.reduce((n, e) => n + embedLength(e), 0) - LIMITS.embedTotal;
  type Slot = { get(): string; set(v: string): void };
  const slots: Slot[] = [
    ...fitted.filter((e) => e.description).map((e) => ({ get: () => e.description!, set: (v: string) => (e.description = v) })),
    ...fitted.flatMap((e) => (e.fields ?? []).map((f) => ({ get: () => f.value, set: (v: string) => (f.value = v) }))),
    ...fitted.flatMap((e) => (e.fields ?? []).map((f) => ({ get: () => f.name, set: (v: string) => (f.name = v) }))),
    ...fitted.filter((e) => e.footer).map((e) => ({ get: () => e.footer!.text, set: (v: string) => (e.footer = { ...e.footer!, text: v }) })),
    ...fitted.filter((e) => e.title).map((e) => ({ get: () => e.title!, set: (v: string) => (e.title = v) })),
  ];
  for (const slot of slots) {
    if (over <= 0) break;
    const before = slot.get().length;
    if (before <= 1) continue;
    slot.set(fitText(slot.get(), Math.max(1, before - over)));
    over -= before - slot.get().length;
  }
  return fitted;
}
