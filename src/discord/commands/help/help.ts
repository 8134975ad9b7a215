/**
 * `help [command]`: the commands the caller may use here, grouped as the tree groups them (DESIGN §3.1), one line
 * each; or one command's help text: its description, usage, options and example, in the caller's form.
 */
import type { APIEmbed } from 'discord.js';
import { defineCommand, type AnyCommand, type CommandContext } from '../types.js';
import { callerOf, refusal } from '../access.js';
import { example, shown, SLASH, usage } from '../registry.js';
import { replyWithPages } from '../../paged-list.js';
import { fitLines, LIMITS } from '../../limits.js';

const COLOR = 0x8b5cf6;
/** A help page's text: Discord allows 4 096 characters in a description; the rest is left for headers. */
const PAGE_CHARS = 3800;

export const help = defineCommand({
  path: ['help'],
  description: 'What you can use here, or how to use one command',
  options: [{ name: 'command', type: 'string', description: 'A command, e.g. "level check" (default: list them all)', rest: true, max: 100 }] as const,
  example: { command: 'level check' },
  permission: 'everyone',
  guildOnly: false,
  async handler(ctx, { command }) {
    const words = (command ?? '').trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) return listAll(ctx);
    return describe(ctx, words);
  },
});

/** The prefix of text commands where the caller is (the server's own, or the default). */
async function textPrefix(ctx: CommandContext): Promise<string> {
  return (ctx.guildId && (await ctx.app.core.engine.rules(ctx.guildId)).settings.prefix) || ctx.app.defaultPrefix;
}

/** The section a command is listed in: its top-level command's title, and for admin commands their group. */
function sectionOf(ctx: CommandContext, c: AnyCommand): string {
  const [top, group] = c.path as [string, string?];
  const decl = ctx.app.registry.tree[top];
  if (!decl) return top;
  return decl.audience === 'admin' && group && c.path.length === 3 ? `${decl.title} · ${group}` : decl.title;
}

async function listAll(ctx: CommandContext): Promise<void> {
  const caller = callerOf(ctx);
  const sections = new Map<string, string[]>();
  for (const c of ctx.app.registry.commands) {
    if (refusal(c, caller)) continue;
    const title = sectionOf(ctx, c);
    const lines = sections.get(title) ?? [];
    lines.push(`\`${ctx.prefix}${c.path.join(' ')}\` — ${c.description}`);
    sections.set(title, lines);
  }
  const pages = paginate([...sections].map(([title, lines]) => ({ title, lines })));
  const more = ctx.guildId ? '' : '\nMore commands work in a server.';
  const footer = `${ctx.prefix}help <command> shows how to use one.${more}`;
  await replyWithPages(
    ctx,
    {
      pageCount: () => pages.length,
      render: (page, count) => ({ title: 'Commands you can use here', description: pages[page - 1], color: COLOR, footer: { text: count > 1 ? `${footer} · Page ${page} / ${count}` : footer } }),
      readsXp: false,
    },
    1,
  );
}

/** Sections packed into pages of at most PAGE_CHARS; a section too long for one page goes on over the next. */
export function paginate(sections: readonly { title: string; lines: readonly string[] }[]): string[] {
  const pages: string[] = [];
  let page = '';
  for (const { title, lines } of sections) {
    let header = `**${title}**`;
    for (const line of lines) {
      const chunk = header ? `${page ? '\n\n' : ''}${header}\n${line}` : `\n${line}`;
      if (page && page.length + chunk.length > PAGE_CHARS) {
        pages.push(page);
        page = `**${title}** (continued)\n${line}`;
      } else {
        page += chunk;
      }
      header = '';
    }
  }
  if (page || pages.length === 0) pages.push(page || 'Nothing here.');
  return pages;
}

async function describe(ctx: CommandContext, typed: readonly string[]): Promise<{ embeds: APIEmbed[] } | { content: string }> {
  const registry = ctx.app.registry;
  const prefix = await textPrefix(ctx);
  // Accept what the caller would type: `/level check`, `!xp`, `level check`.
  const words = [...typed];
  words[0] = words[0]!.replace(/^\//, '');
  if (words[0].startsWith(prefix)) words[0] = words[0].slice(prefix.length);
  const match = registry.match(words.filter(Boolean));
  if (!match) {
    const under = registry.under(words).filter((c) => !refusal(c, callerOf(ctx)));
    if (under.length) {
      const lines = under.map((c) => `\`${ctx.prefix}${c.path.join(' ')}\` — ${c.description}`);
      return { embeds: [{ title: `Commands under ${ctx.prefix}${shown(words.join(' '))}`, description: fitLines(lines, LIMITS.description), color: COLOR }] };
    }
    const guess = registry.didYouMean(words);
    return { content: `There is no command \`${shown(typed.join(' '))}\`.${guess ? ` Did you mean \`${ctx.prefix}${guess}\`?` : ''} \`${ctx.prefix}help\` lists them all.` };
  }
  const c = match.command;
  const refused = refusal(c, callerOf(ctx));
  const aliases = (c.aliases ?? []).map((a) => `\`${prefix}${a.join(' ')}\``);
  const options = c.options.map((o) => `\`${o.name}\`${o.required ? '' : ' (optional)'} — ${o.description}`);
  const fields = [
    ...(options.length ? [{ name: 'Options', value: fitLines(options, LIMITS.fieldValue) }] : []),
    { name: 'Example', value: `\`${example(c, ctx.prefix)}\`` },
    { name: 'Who', value: `${WHO[c.permission]}${c.guildOnly === false ? ', in servers and in DMs with the bot' : ', in servers'}${refused ? `\n⚠️ Not you, here: ${refused.message}` : ''}` },
    ...(ctx.prefix === SLASH ? [{ name: 'As a text command', value: `\`${usage(c, prefix)}\`` }] : []),
    ...(aliases.length ? [{ name: 'Also answers to', value: fitLines(aliases, LIMITS.fieldValue, ', ') }] : []),
  ];
  return { embeds: [{ title: usage(c, ctx.prefix), description: c.description, fields, color: COLOR }] };
}

const WHO: Record<AnyCommand['permission'], string> = {
  everyone: 'Everyone',
  admin: 'Members with Manage Server (and the bot owner)',
  owner: 'The bot owner',
};
