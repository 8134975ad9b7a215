/**
 * From one list of definitions: the slash-command JSON Discord registers, and the prefix-command matcher and
 * argument parser. Both forms call the same handler with the same typed arguments.
 */
import { ApplicationCommandOptionType, type RESTPostAPIChatInputApplicationCommandsJSONBody, type APIApplicationCommandOption } from 'discord.js';
import { UserError } from './errors.js';
import type { AnyCommand, OptionDef, ResolvedChannel, ResolvedRole, ResolvedUser } from './types.js';

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

  constructor(readonly commands: readonly AnyCommand[]) {
    for (const c of commands) {
      for (const p of [c.path, ...(c.aliases ?? [])]) {
        const key = p.join(' ').toLowerCase();
        if (this.byPath.has(key)) throw new Error(`two commands answer to "${key}"`);
        this.byPath.set(key, c);
      }
    }
    this.maxWords = Math.max(...[...this.byPath.keys()].map((k) => k.split(' ').length));
  }

  /** The command a prefix invocation names (longest matching path first) and the words after it. */
  match(words: readonly string[]): { command: AnyCommand; rest: string[] } | null {
    for (let n = Math.min(this.maxWords, words.length); n > 0; n--) {
      const c = this.byPath.get(words.slice(0, n).join(' ').toLowerCase());
      if (c) return { command: c, rest: words.slice(n) };
    }
    return null;
  }

  /** Commands whose path starts with the given words (for "did you mean" help on a partial path). */
  under(words: readonly string[]): AnyCommand[] {
    const prefix = words.join(' ').toLowerCase();
    return this.commands.filter((c) => c.path.join(' ').startsWith(prefix + ' '));
  }

  byFullPath(path: readonly string[]): AnyCommand | undefined {
    return this.byPath.get(path.join(' ').toLowerCase());
  }

  /** Slash-command JSON: one top-level command per first word, with subcommand groups and subcommands. */
  slashJson(): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
    const tops = new Map<string, RESTPostAPIChatInputApplicationCommandsJSONBody>();
    for (const c of this.commands) {
      const [top, second, third] = c.path as [string, string?, string?];
      let root = tops.get(top);
      if (!root) {
        root = { name: top, description: c.path.length === 1 ? c.description : `${top} commands`, options: [] };
        tops.set(top, root);
      }
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
        group = { type: ApplicationCommandOptionType.SubcommandGroup, name: second, description: `${top} ${second} commands`, options: [] } as never;
        root.options!.push(group!);
      }
      group!.options.push(sub);
    }
    return [...tops.values()];
  }
}

function slashOption(o: OptionDef): APIApplicationCommandOption {
  const base: Record<string, unknown> = { type: SLASH_TYPES[o.type], name: o.name, description: o.description, required: o.required ?? false };
  if (o.choices) base.choices = o.choices.map((v) => ({ name: String(v), value: v }));
  if (o.min !== undefined) base[o.type === 'string' ? 'min_length' : 'min_value'] = o.min;
  if (o.max !== undefined) base[o.type === 'string' ? 'max_length' : 'max_value'] = o.max;
  return base as unknown as APIApplicationCommandOption;
}

/** Usage line for a command in prefix form: `!unicornia guild rolereward <level> <role> [remove]`. */
export function usage(c: AnyCommand, prefix: string): string {
  const opts = c.options.map((o) => {
    const label = o.choices ? o.choices.join('|') : o.name;
    return o.required ? `<${label}>` : `[${label}]`;
  });
  return [prefix + c.path.join(' '), ...opts].join(' ');
}

/** Splits a prefix command line into words; "double quotes" keep spaces. */
export function tokenize(line: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push(m[1] ?? m[2]!);
  return out;
}

const TRUE = new Set(['true', 'on', 'yes', 'enable', 'enabled', '1']);
const FALSE = new Set(['false', 'off', 'no', 'disable', 'disabled', '0']);

/** Parses prefix words into the handler's arguments, validating like Discord does for slash options. */
export async function parsePrefixArgs(c: AnyCommand, words: readonly string[], resolver: PrefixResolver, prefix: string): Promise<Record<string, unknown>> {
  const args: Record<string, unknown> = {};
  const use = usage(c, prefix);
  let i = 0;
  for (const o of c.options) {
    if (i >= words.length) {
      if (o.required) throw new UserError('missing_argument', `Missing \`${o.name}\`: ${o.description}.`, use);
      continue;
    }
    const token = o.rest ? words.slice(i).join(' ') : words[i]!;
    i = o.rest ? words.length : i + 1;
    args[o.name] = await parseValue(o, token, resolver, use);
  }
  if (i < words.length) throw new UserError('bad_argument', `I don't know what to do with \`${words.slice(i).join(' ')}\`.`, use);
  return args;
}

/** Checks a value against the option's choices and bounds (slash values are checked by Discord, but not trusted). */
export function checkValue(o: OptionDef, value: unknown, use: string): unknown {
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
    case 'string':
      return checkValue(o, token, use);
    case 'integer':
    case 'number': {
      const cleaned = token.replace(/[_,](?=\d{3}\b)/g, '');
      const ok = o.type === 'integer' ? /^[-+]?\d+$/.test(cleaned) : /^[-+]?(\d+\.?\d*|\.\d+)$/.test(cleaned);
      const n = Number(cleaned);
      if (!ok || !Number.isFinite(n) || (o.type === 'integer' && !Number.isSafeInteger(n))) {
        throw new UserError('bad_argument', `\`${o.name}\` must be ${o.type === 'integer' ? 'a whole number' : 'a number'}, not \`${token}\`.`, use);
      }
      return checkValue(o, n, use);
    }
    case 'boolean': {
      const t = token.toLowerCase();
      if (TRUE.has(t)) return true;
      if (FALSE.has(t)) return false;
      throw new UserError('bad_argument', `\`${o.name}\` must be true or false, not \`${token}\`.`, use);
    }
    case 'user': {
      const u = await resolver.user(token);
      if (!u) throw new UserError('bad_argument', `I can't find the user \`${token}\` here. Mention them or use their id.`, use);
      return u;
    }
    case 'role': {
      const r = await resolver.role(token);
      if (!r) throw new UserError('bad_argument', `I can't find the role \`${token}\`. Mention it, or use its id or exact name.`, use);
      return r;
    }
    case 'channel': {
      const ch = await resolver.channel(token);
      if (!ch) throw new UserError('bad_argument', `I can't find the channel \`${token}\`. Mention it, or use its id or exact name.`, use);
      return ch;
    }
  }
}
