/**
 * From one list of definitions: the slash-command JSON Discord registers, and the prefix-command matcher and
 * argument parser. Both forms call the same handler with the same typed arguments.
 */
import { ApplicationCommandOptionType, ApplicationIntegrationType, InteractionContextType, PermissionFlagsBits, type RESTPostAPIChatInputApplicationCommandsJSONBody, type APIApplicationCommandOption } from 'discord.js';
import { UserError } from './errors.js';
import { closest } from '../../util/suggest.js';
import type { AnyCommand, OptionDef, ResolvedChannel, ResolvedRole, ResolvedUser } from './types.js';
import { COMMAND_TREE, type TopDecl } from './tree.js';

const SLASH_TYPES: Record<OptionDef['type'], ApplicationCommandOptionType> = {
  string: ApplicationCommandOptionType.String,
  integer: ApplicationCommandOptionType.Integer,
  number: ApplicationCommandOptionType.Number,
  boolean: ApplicationCommandOptionType.Boolean,
  user: ApplicationCommandOptionType.User,
  role: ApplicationCommandOptionType.Role,
  channel: ApplicationCommandOptionType.Channel,
};

/** Resolves mentions, ids and names in prefix arguments against the current guild. */
export interface PrefixResolver {
  user(token: string): Promise<ResolvedUser | null>;
  role(token: string): Promise<ResolvedRole | null>;
  channel(token: string): Promise<ResolvedChannel | null>;
}

export class CommandRegistry {
  private readonly byPath = new Map<string, AnyCommand>();
  private readonly maxWords: number;
  /** Every path a prefix word list can name, aliases included, with the words of each (for prefixes of paths). */
  private readonly allPaths: string[][];

  constructor(
    readonly commands: readonly AnyCommand[],
    readonly tree: Readonly<Record<string, TopDecl>> = COMMAND_TREE,
  ) {
    for (const c of commands) {
      checkPlace(c, tree);
      for (const p of [c.path, ...(c.aliases ?? [])]) {
        const key = p.join(' ').toLowerCase();
        if (this.byPath.has(key)) throw new Error(`two commands answer to "${key}"`);
        this.byPath.set(key, c);
      }
    }
    this.allPaths = [...this.byPath.keys()].map((k) => k.split(' '));
    this.maxWords = Math.max(...this.allPaths.map((p) => p.length));
  }

  /**
   * The command a prefix invocation names (longest matching path first) and how many words name it. Words that
   * go on into a group (`level card` where `level` alone is an alias of `level check`) name the group, not the
   * shorter command with an argument: null, so the caller lists the group.
   */
  match(words: readonly string[]): { command: AnyCommand; words: number } | null {
    const lower = words.map((w) => w.toLowerCase());
    for (let n = Math.min(this.maxWords, words.length); n > 0; n--) {
      const c = this.byPath.get(lower.slice(0, n).join(' '));
      if (!c) continue;
      if (n < lower.length && this.isGroup(lower.slice(0, n + 1))) return null;
      return { command: c, words: n };
    }
    return null;
  }

  /** Words that start longer paths without naming a command themselves (`unicornia xp`, `unicornia guild`). */
  private isGroup(words: readonly string[]): boolean {
    return !this.byPath.has(words.join(' ')) && this.allPaths.some((p) => p.length > words.length && words.every((w, i) => p[i] === w));
  }

  /**
   * For a mistyped command of ours (`unicornia guildd`, `unicornia guild cooldwn 5`): the words up to the first
   * one no path knows, with that word replaced by the closest word a path has there; null when the first word is
   * not ours or nothing is close.
   */
  didYouMean(words: readonly string[]): string | null {
    const lower = words.map((w) => w.toLowerCase());
    /** The path begins with the first n words. */
    const begins = (p: readonly string[], n: number) => p.length >= n && lower.slice(0, n).every((w, i) => p[i] === w);
    let known = 0;
    while (known < lower.length && this.allPaths.some((p) => begins(p, known + 1))) known++;
    if (known === 0 || known >= lower.length) return null;
    const next = new Set(this.allPaths.filter((p) => p.length > known && begins(p, known)).map((p) => p[known]!));
    const guess = closest(lower[known]!, next);
    return guess ? [...lower.slice(0, known), guess].join(' ') : null;
  }

  /**
   * The longest run of leading words (two or more: past the top-level name, so surely ours) that is one of our
   * groups, for a word under it that no command has (`unicornia decay default`); null when there is none.
   */
  enclosingGroup(words: readonly string[]): string[] | null {
    const lower = words.map((w) => w.toLowerCase());
    for (let n = lower.length - 1; n >= 2; n--) if (this.isGroup(lower.slice(0, n))) return lower.slice(0, n);
    return null;
  }

  /** Commands that a path or an alias starting with the given words names (`unicornia guild` lists the old group's commands). */
  under(words: readonly string[]): AnyCommand[] {
    const lower = words.map((w) => w.toLowerCase());
    return this.commands.filter((c) => [c.path, ...(c.aliases ?? [])].some((p) => p.length > lower.length && lower.every((w, i) => p[i]?.toLowerCase() === w)));
  }

  byFullPath(path: readonly string[]): AnyCommand | undefined {
    return this.byPath.get(path.join(' ').toLowerCase());
  }

  /** Slash-command JSON: one top-level command per first word, with subcommand groups and subcommands. */
  slashJson(): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
    const tops = new Map<string, RESTPostAPIChatInputApplicationCommandsJSONBody>();
    for (const c of this.commands) {
      const [top, second, third] = c.path as [string, string?, string?];
      const decl = this.tree[top];
      let root = tops.get(top);
      if (!root) {
        // Declared rather than left to Discord's defaults: discord.js compares them with Discord's copy, and a
        // default it does not know (integration_types [0]) made every start re-register everything.
        root = {
          name: top,
          description: c.path.length === 1 ? c.description : (decl?.description ?? `${top} commands`),
          options: [],
          integration_types: [ApplicationIntegrationType.GuildInstall],
          contexts: [InteractionContextType.Guild],
          // Admin commands are not shown to members at all (DESIGN §3.1); server admins may widen this in
          // Server Settings → Integrations, and the bot still checks Manage Server on every use.
          ...(decl?.audience === 'admin' ? { default_member_permissions: PermissionFlagsBits.ManageGuild.toString() } : {}),
        };
        tops.set(top, root);
      }
      // A group that holds any command usable outside servers (wallets, the shop, clubs) is offered in DMs too.
      if (c.guildOnly === false && !root.contexts!.includes(InteractionContextType.BotDM)) root.contexts!.push(InteractionContextType.BotDM);
      const options = c.options.map(slashOption);
      if (!second) {
        root.options = options;
        continue;
      }
      const sub: APIApplicationCommandOption = { type: ApplicationCommandOptionType.Subcommand, name: (third ?? second), description: c.description, options } as APIApplicationCommandOption;
      if (!third) {
        root.options!.push(sub);
        continue;
      }
      let group = root.options!.find((o) => o.name === second && o.type === ApplicationCommandOptionType.SubcommandGroup) as
        | (APIApplicationCommandOption & { options: APIApplicationCommandOption[] })
        | undefined;
      if (!group) {
        group = { type: ApplicationCommandOptionType.SubcommandGroup, name: second, description: decl?.groups?.[second] ?? `${top} ${second} commands`, options: [] } as never;
        root.options!.push(group!);
      }
      group!.options.push(sub);
    }
    return [...tops.values()];
  }
}

/** A command's path must lie in the declared tree: a declared group of a declared top, admin commands only under admin tops. */
function checkPlace(c: AnyCommand, tree: Readonly<Record<string, TopDecl>>): void {
  const [top, group] = c.path;
  const where = c.path.join(' ');
  if (c.path.length < 1 || c.path.length > 3) throw new Error(`"${where}": a command path has 1 to 3 words`);
  const decl = top !== undefined ? tree[top] : undefined;
  if (!decl) return; // a top of its own (tests add some); the tree test checks that the bot's commands are all placed
  if (c.path.length === 3 && !decl.groups?.[group!]) throw new Error(`"${where}": "${top} ${group}" is not a group of the command tree (tree.ts)`);
  if (decl.audience === 'admin' && c.permission === 'everyone') throw new Error(`"${where}": a command for everyone under the admin command "${top}"`);
}

function slashOption(o: OptionDef): APIApplicationCommandOption {
  // An option that also takes `default` is text for Discord; its bounds are checked when it is parsed.
  if (o.orDefault) {
    // On/off keeps a picker: its three words as choices.
    const words = o.type === 'boolean' ? { choices: ['true', 'false', 'default'].map((v) => ({ name: v, value: v })) } : { max_length: 40 };
    return { type: ApplicationCommandOptionType.String, name: o.name, description: o.description, required: o.required ?? false, ...words } as APIApplicationCommandOption;
  }
  const base: Record<string, unknown> = { type: SLASH_TYPES[o.type], name: o.name, description: o.description, required: o.required ?? false };
  if (o.choices) base.choices = o.choices.map((v) => ({ name: String(v), value: v }));
  if (o.min !== undefined) base[o.type === 'string' ? 'min_length' : 'min_value'] = o.min;
  if (o.max !== undefined) base[o.type === 'string' ? 'max_length' : 'max_value'] = o.max;
  return base as unknown as APIApplicationCommandOption;
}

/**
 * Usage line of a command: prefix form `!rewards role <level> <role> [give|remove|delete]`, or slash
 * form `/rewards role level:<level> role:<role> [action:give|remove|delete]` when prefix is '/'.
 */
export function usage(c: AnyCommand, prefix: string): string {
  const slash = prefix === SLASH;
  const opts = c.options.map((o) => {
    const label = o.choices ? o.choices.join('|') : o.name;
    if (slash) return o.required ? `${o.name}:<${label}>` : `[${o.name}:${label}]`;
    return o.required ? `<${label}>` : `[${label}]`;
  });
  return [prefix + c.path.join(' '), ...opts].join(' ');
}

/**
 * A command's example, in the form of `prefix`: `!rewards role 5 @Regular`, or
 * `/rewards role level:5 role:@Regular` when prefix is '/'. Values go in option order; a prefix value
 * with spaces is quoted unless its option takes the rest of the line.
 */
export function example(c: AnyCommand, prefix: string): string {
  const slash = prefix === SLASH;
  const values = c.options.flatMap((o) => {
    const v = (c.example as Record<string, string | number | boolean | undefined>)[o.name];
    if (v === undefined) return [];
    const text = String(v);
    if (slash) return [`${o.name}:${text}`];
    return [/\s/.test(text) && !o.rest ? `"${text}"` : text];
  });
  return [prefix + c.path.join(' '), ...values].join(' ');
}

/** The "prefix" of slash-command contexts, so usage lines and hints show the slash form. */
export const SLASH = '/';

export interface Token {
  text: string;
  /** Where the token starts in the line (its opening quote, if quoted). */
  start: number;
}

/** Splits a prefix command line into words; "double quotes" keep spaces. */
export function tokenize(line: string): Token[] {
  const out: Token[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push({ text: m[1] ?? m[2]!, start: m.index });
  return out;
}

/** A user's input repeated in a reply: short, and unable to break the reply's formatting. */
export function shown(input: string, max = 40): string {
  const clean = input.replace(/[`\n\r]/g, ' ');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

const TRUE = new Set(['true', 'on', 'yes', 'enable', 'enabled', '1']);
const FALSE = new Set(['false', 'off', 'no', 'disable', 'disabled', '0']);

/**
 * Parses prefix words into the handler's arguments, validating like Discord does for slash options. An option
 * that takes the rest of the line gets it as typed (line breaks, spaces and quotes kept) when `line` is given.
 * An optional option whose word does not fit its type is skipped when a later option may take that word, so
 * `levelup where dm true` sets `ping` without a channel.
 */
export async function parsePrefixArgs(c: AnyCommand, tokens: readonly Token[], resolver: PrefixResolver, prefix: string, line?: string): Promise<Record<string, unknown>> {
  const args: Record<string, unknown> = {};
  const use = usage(c, prefix);
  let i = 0;
  // The error of an optional option skipped at word i: if a later option with fixed choices does not take that
  // word either, it was most likely meant for the first (`level check nobody-here` is a member not found, not a
  // wrong period); a later free-form option's error stays (`levelup where dm maybe`: ping wants true or false).
  // A number says which option it was meant for: one a number option refuses (out of its range, not whole) is
  // that option's error, never skipped (`season start … 26 @Champ`: `winners` is at most 25, not "`reset` must be
  // true or false"); and a word that is not a number skipped by a number option is not blamed on it (`lb weeek`
  // is a wrong period, not a wrong page).
  let skipped = null as { at: number; error: unknown; notANumber: boolean } | null;
  for (const [n, o] of c.options.entries()) {
    if (i >= tokens.length) {
      if (o.required) throw new UserError('missing_argument', `Missing \`${o.name}\`: ${o.description}.`, use);
      continue;
    }
    if (o.rest) {
      // One "quoted" word is its inside; anything longer is taken as typed.
      const whole = i === tokens.length - 1 || line === undefined;
      const raw = whole ? tokens.slice(i).map((t) => t.text).join(' ') : line.slice(tokens[i]!.start).trim();
      args[o.name] = await parseValue(o, raw, resolver, use);
      i = tokens.length;
      continue;
    }
    try {
      args[o.name] = await parseValue(o, tokens[i]!.text, resolver, use);
      i++;
    } catch (error) {
      const numeric = o.type === 'integer' || o.type === 'number';
      const meant = numeric && isNumberWord(tokens[i]!.text);
      const skippable = !meant && !o.required && o.type !== 'string' && n < c.options.length - 1 && error instanceof UserError;
      if (!skippable) throw skipped?.at === i && o.choices && !meant && !skipped.notANumber ? skipped.error : error;
      if (skipped?.at !== i) skipped = { at: i, error, notANumber: numeric };
    }
  }
  if (i < tokens.length) throw new UserError('bad_argument', `I don't know what to do with \`${shown(tokens.slice(i).map((t) => t.text).join(' '))}\`.`, use);
  return args;
}

/**
 * A word written as a number (`26`, `-1`, `1.5`, `1,000`), not an id: ids are 17 digits or more, and a word that
 * long goes on to a later user, role or channel option.
 */
function isNumberWord(token: string): boolean {
  const cleaned = withoutSeparators(token);
  return DECIMAL.test(cleaned) && cleaned.replace(/\D/g, '').length <= 16;
}

const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)$/;
/** `1,000` and `1_000` are 1000. */
const withoutSeparators = (token: string) => token.replace(/[_,](?=\d{3}\b)/g, '');

/** Checks a value against the option's choices and bounds (slash values are checked by Discord, but not trusted). */
export function checkValue(o: OptionDef, raw: unknown, use: string): unknown {
  // A whole number typed as "-0" is zero: stored and shown as 0, never as "-0".
  const value = o.type === 'integer' && Object.is(raw, -0) ? 0 : raw;
  if (o.choices && !o.choices.some((ch) => String(ch).toLowerCase() === String(value).toLowerCase())) {
    throw new UserError('bad_argument', `\`${o.name}\` must be one of ${o.choices.map((ch) => `\`${ch}\``).join(', ')}.`, use);
  }
  if (typeof value === 'number') {
    if (o.min !== undefined && value < o.min) throw new UserError('bad_argument', `\`${o.name}\` must be at least ${o.min}.`, use);
    if (o.max !== undefined && value > o.max) throw new UserError('bad_argument', `\`${o.name}\` must be at most ${o.max}.`, use);
  }
  if (typeof value === 'string') {
    if (o.min !== undefined && value.length < o.min) throw new UserError('bad_argument', `\`${o.name}\` must be at least ${o.min} characters.`, use);
    if (o.max !== undefined && value.length > o.max) throw new UserError('bad_argument', `\`${o.name}\` must be at most ${o.max} characters.`, use);
    if (o.choices) return o.choices.find((ch) => String(ch).toLowerCase() === value.toLowerCase());
  }
  return value;
}

async function parseValue(o: OptionDef, token: string, resolver: PrefixResolver, use: string): Promise<unknown> {
  switch (o.type) {
    case 'user': {
      const u = await resolver.user(token);
      if (!u) throw new UserError('bad_argument', `I can't find the user \`${shown(token)}\` here. Mention them or use their id.`, use);
      return u;
    }
    case 'role': {
      const r = await resolver.role(token);
      if (!r) throw new UserError('bad_argument', `I can't find the role \`${shown(token)}\`. Mention it, or use its id or exact name (in "quotes" if it has spaces).`, use);
      return r;
    }
    case 'channel': {
      const ch = await resolver.channel(token);
      if (!ch) throw new UserError('bad_argument', `I can't find the channel \`${shown(token)}\`. Mention it, or use its id or exact name.`, use);
      return ch;
    }
    default:
      return parseScalar(o, token, use);
  }
}

/**
 * A typed word as a text, number or on/off value, checked against the option's bounds; `default` for an option that
 * takes it. The prefix form's words and the slash form's text options that take `default` both come through here.
 */
export function parseScalar(o: OptionDef, token: string, use: string): unknown {
  if (o.orDefault && token.trim().toLowerCase() === 'default') return 'default';
  const orDefault = o.orDefault ? ', or `default`' : '';
  switch (o.type) {
    case 'string':
      return checkValue(o, token, use);
    case 'integer':
    case 'number': {
      const cleaned = withoutSeparators(token);
      const ok = o.type === 'integer' ? /^[-+]?\d+$/.test(cleaned) : DECIMAL.test(cleaned);
      const n = Number(cleaned);
      if (!ok || !Number.isFinite(n) || (o.type === 'integer' && !Number.isSafeInteger(n))) {
        throw new UserError('bad_argument', `\`${o.name}\` must be ${o.type === 'integer' ? 'a whole number' : 'a number'}${bounds(o)}${orDefault}, not \`${shown(token)}\`.`, use);
      }
      return checkValue(o, n, use);
    }
    case 'boolean': {
      const t = token.toLowerCase();
      if (TRUE.has(t)) return true;
      if (FALSE.has(t)) return false;
      throw new UserError('bad_argument', `\`${o.name}\` must be true or false${orDefault}, not \`${shown(token)}\`.`, use);
    }
    default:
      throw new Error(`option ${o.name}: ${o.type} is not a scalar type`);
  }
}

/** " from 0 to 100" for an option with both bounds, else nothing: the range belongs in the refusal. */
function bounds(o: OptionDef): string {
  return o.min !== undefined && o.max !== undefined ? ` from ${o.min.toLocaleString('en-US')} to ${o.max.toLocaleString('en-US')}` : '';
}
