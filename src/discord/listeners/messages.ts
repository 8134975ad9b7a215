/** messageCreate: XP for chat (through the engine's plain event), and prefix commands. */
import { ChannelType, type Client, type Message } from 'discord.js';
import type { AppContext } from '../../app.js';
import type { MessageEvent } from '../../engine/events.js';
import { tokenize, parsePrefixArgs, shown, usage } from '../commands/registry.js';
import { guildPrefix, prefixContext, prefixResolver } from '../contexts.js';
import { runCommand } from '../invoke.js';
import type { AnyCommand } from '../commands/types.js';
import { isPromise } from '../../engine/ports.js';

const THREAD_TYPES = new Set([ChannelType.PublicThread, ChannelType.PrivateThread, ChannelType.AnnouncementThread]);

/** The engine's view of a message: ids only. Threads carry their parent; every channel its category. */
export function messageEvent(message: Message, isCommand: boolean): MessageEvent {
  const channel = message.channel;
  let parentId: string | null = null;
  let categoryId: string | null = null;
  if (!channel.isDMBased()) {
    parentId = channel.parentId;
    categoryId = THREAD_TYPES.has(channel.type) ? (channel.parent?.parentId ?? null) : channel.parentId;
  }
  return {
    guildId: message.guildId,
    channelId: message.channelId,
    parentId,
    categoryId,
    userId: message.author.id,
    roleIds: message.member ? [...message.member.roles.cache.keys()] : [],
    isBot: message.author.bot,
    isWebhookOrSystem: message.webhookId !== null || message.system,
    isCommand,
    content: message.content,
  };
}

export function onMessage(client: Client, app: AppContext): (message: Message) => void {
  const handle = (message: Message, prefix: string) => {
    const content = message.content;
    const line = content.startsWith(prefix) && !message.author.bot ? content.slice(prefix.length) : null;
    const tokens = line === null ? [] : tokenize(line);
    const words = tokens.map((t) => t.text);
    const match = words.length ? app.registry.match(words) : null;
    // Once shutdown began, messages earn nothing (commands are answered that the bot is restarting).
    if (app.gate.isOpen) {
      const earned = app.core.engine.handleMessage(messageEvent(message, match !== null));
      // A read that failed on an asynchronous store is logged by the engine; the message earns nothing.
      if (isPromise(earned)) earned.catch(() => {});
    }
    if (!match) {
      if (words.length) void suggest(app, message, words, prefix);
      return;
    }
    const ctx = prefixContext(app, message, prefix, words.slice(0, match.words));
    void runCommand(match.command, ctx, () =>
      parsePrefixArgs(match.command, tokens.slice(match.words), prefixResolver(message.guild, client), prefix, line!),
    );
  };
  return (message) => {
    // With PostgreSQL a server's first message waits for its rules; the server's later messages queue behind it
    // in the engine, so one member's messages still count in the order they came (DESIGN §2.1).
    const prefix = guildPrefix(app, message.guildId);
    if (!isPromise(prefix)) return handle(message, prefix);
    prefix.then(
      (p) => handle(message, p),
      (error: unknown) => app.logger.warn({ err: error, guildId: message.guildId }, 'could not read the server settings; the message was ignored'),
    );
  };
}

/**
 * `!unicornia guild` alone (a group, not a command): list what it holds; `!unicornia guildd` (a typo under one of
 * our commands): suggest the closest; `!unicornia decay default` (a word no command has, under one of our groups):
 * say so and list the group's commands, since silence would look like a broken bot. Anything else is not ours: it
 * earns XP like chat and gets no reply.
 */
async function suggest(app: AppContext, message: Message, words: string[], prefix: string): Promise<void> {
  const reply = (content: string) => message.reply({ content, allowedMentions: { parse: [], repliedUser: false } }).catch(() => {});
  const under = app.registry.under(words);
  if (under.length > 0) return void (await reply(listing(`Commands under \`${prefix}${words.join(' ')}\`:`, under, prefix)));
  const guess = app.registry.didYouMean(words);
  if (guess) return void (await reply(`There is no \`${prefix}${shown(words.slice(0, 3).join(' '))}\`. Did you mean \`${prefix}${guess}\`?`));
  const group = app.registry.enclosingGroup(words);
  if (!group) return;
  const head = `There is no \`${prefix}${shown(words.slice(0, group.length + 1).join(' '))}\`. Commands under \`${prefix}${group.join(' ')}\`:`;
  await reply(listing(head, app.registry.under(group), prefix));
}

/** A heading and one usage line per command, within Discord's 2 000 characters. */
function listing(head: string, commands: readonly AnyCommand[], prefix: string): string {
  let content = head;
  for (const c of commands) {
    const line = `\n\`${usage(c, prefix)}\``;
    if (content.length + line.length > 1900) break;
    content += line;
  }
  return content;
}
