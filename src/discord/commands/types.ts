/**
 * A command is declared once as data (path, aliases, typed options, permission, handler); the registry turns the
 * same definitions into slash-command JSON and a prefix parser, and the handler's argument types are inferred
 * from the option list.
 */
import type { APIEmbed, APIActionRowComponent, APIComponentInMessageActionRow } from 'discord.js';
import type { AppContext } from '../../app.js';
import type { RoleIssue } from '../role-check.js';

export type OptionType = 'string' | 'integer' | 'number' | 'boolean' | 'user' | 'role' | 'channel';

export interface OptionDef {
  name: string;
  description: string;
  type: OptionType;
  required?: boolean;
  /** Fixed choices (strings or integers), matched case-insensitively in prefix form. */
  choices?: readonly (string | number)[];
  min?: number;
  max?: number;
  /** Prefix form: a string option that takes the rest of the line (must be last). */
  rest?: boolean;
  /**
   * A number or on/off option that also takes the word `default` (every setting is reset that way): the handler
   * gets 'default' or the checked value. Discord has no such option type, so the slash form is a string option
   * parsed and checked like the prefix form.
   */
  orDefault?: boolean;
}

export interface ResolvedUser {
  id: string;
  username: string;
  displayName: string;
  bot: boolean;
  /** The avatar shown in the server (Discord CDN URL), or null when unknown. */
  avatarUrl: string | null;
}

export interface ResolvedRole {
  id: string;
  name: string;
}

export interface ResolvedChannel {
  id: string;
  name: string;
  /** 'category' is accepted wherever a channel is (exclusions work on categories too). */
  kind: 'text' | 'voice' | 'category' | 'thread' | 'other';
}

type ValueOf<T extends OptionType> = T extends 'string'
  ? string
  : T extends 'integer' | 'number'
    ? number
    : T extends 'boolean'
      ? boolean
      : T extends 'user'
        ? ResolvedUser
        : T extends 'role'
          ? ResolvedRole
          : ResolvedChannel;

type ArgOf<D extends OptionDef> = D['orDefault'] extends true ? ValueOf<D['type']> | 'default' : ValueOf<D['type']>;

export type ArgsOf<O extends readonly OptionDef[]> = {
  [D in O[number] as D['name']]: D['required'] extends true ? ArgOf<D> : ArgOf<D> | undefined;
};

export type Permission = 'everyone' | 'admin' | 'owner';

export interface ReplyFile {
  name: string;
  data: Buffer;
}

export interface ReplyPayload {
  content?: string;
  embeds?: APIEmbed[];
  files?: ReplyFile[];
  components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
  /** Slash only: visible to the invoker alone. Prefix replies ignore it. */
  ephemeral?: boolean;
}

/** What a handler can do, the same for a slash and a prefix invocation. */
export interface CommandContext {
  app: AppContext;
  source: 'slash' | 'prefix';
  guildId: string | null;
  guildName: string | null;
  channelId: string;
  user: ResolvedUser;
  /** The invoker's role ids (empty outside guilds). */
  roleIds: readonly string[];
  /** The invoker has Manage Server here (false outside guilds). */
  canManageGuild: boolean;
  /** The prefix in effect here, for usage lines and hints; '/' for slash commands (usage then shows the slash form). */
  prefix: string;
  /**
   * Prefix form: the words that named the command, lower case and space-joined (an alias such as `xprate` where
   * a command keeps another bot's argument units). Unset for slash commands.
   */
  invokedAs?: string;
  /** Shows "thinking…" (slash) or typing (prefix) for slow work such as rendering a card. */
  defer(): Promise<void>;
  /** Sends the reply (never pinging anyone); returns the id of the message it became (for button sessions). */
  reply(payload: ReplyPayload): Promise<string>;
  /** Edits the reply sent by `reply`. */
  edit(payload: ReplyPayload): Promise<void>;
  /** Sends the invoker a direct message; false when Discord refuses it (their DMs are closed to the bot). */
  dm(payload: ReplyPayload): Promise<boolean>;
  /** Why the bot cannot manage a role here (missing permission, hierarchy, managed), or null. */
  roleProblem(roleId: string): Promise<RoleIssue | null>;
  /** Why the bot cannot post in a channel here (gone, missing View Channel or Send Messages), or null. */
  channelProblem(channelId: string): Promise<string | null>;
  /** A role's name in this guild ('deleted role' when it is gone). */
  roleName(roleId: string): string;
  /** A channel or category of this guild by mention, id or exact name, as typed in a text option; null if none. */
  findChannel(token: string): ResolvedChannel | null;
  /** A role of this guild by mention, id or exact name, as typed in a text option; null if none. */
  findRole(token: string): ResolvedRole | null;
  /** Looks up a member of this guild (null when not a member / left). */
  member(userId: string): Promise<{ user: ResolvedUser; roleIds: string[] } | null>;
}

/** An example invocation: a value for some options (users, roles and channels as they are typed: `@alice`, `#spam`). */
export type ExampleOf<O extends readonly OptionDef[]> = { readonly [D in O[number] as D['name']]?: string | number | boolean };

export interface CommandDef<O extends readonly OptionDef[] = readonly OptionDef[]> {
  /**
   * Words of the command: ['level', 'check'] or ['unicornia', 'rewards', 'role']; 1–3 words (Discord's top-level
   * command, subcommand group, subcommand). Where a command goes is decided by the tree in tree.ts (DESIGN §3.1).
   */
  path: readonly string[];
  /** Extra prefix-form paths, any length, e.g. [['xp'], ['rank']] or the old [['unicornia', 'guild', 'xp', 'add']]. */
  aliases?: readonly (readonly string[])[];
  /** One line (at most 100 characters: Discord's limit), the help text's first line. */
  description: string;
  /** The example `help <command>` shows, in the caller's form (prefix or slash). Every command has one. */
  example: ExampleOf<O>;
  options: O;
  permission: Permission;
  /** Works only in a server. Default true. */
  guildOnly?: boolean;
  handler(ctx: CommandContext, args: ArgsOf<O>): Promise<ReplyPayload | void>;
}

/** Identity function that keeps the option tuple's literal types, so `args` is typed in the handler. */
export function defineCommand<const O extends readonly OptionDef[]>(def: CommandDef<O>): CommandDef<O> {
  return def;
}

/** The type-erased form the registry stores. */
export type AnyCommand = CommandDef<readonly OptionDef[]>;
