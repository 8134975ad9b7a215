/**
 * Application command registration. Commands are validated the way Discord rejects them (names, descriptions,
 * option counts and order, choices, nesting, the size of a whole command, the number of commands) with Discord's
 * error body, stored, and keep their ids across overwrites; every bulk overwrite is counted, because a bot that
 * re-registers on each start burns a rate-limited call.
 */
import { ApplicationCommandOptionType, ApplicationCommandType, type APIApplicationCommand } from 'discord.js';
import type { SimContext } from '../context.js';
import { ApiError, type FormError } from '../errors.js';
import { json, type Route } from '../server.js';
import { requireGuild } from './lookup.js';

/**
 * Discord's limits for application commands (developer docs, "Application Commands": naming, option and choice
 * structures, "A Quick Note on Limits"; discord.js's builders check the same name and length rules).
 */
export const COMMAND_LIMITS = {
  /** Names: 1–32 letters, digits, `-`, `_`, `'`, Devanagari or Thai; lowercase where a lowercase form exists (chat input). */
  name: /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u,
  description: 100,
  options: 25,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
  /** min_length / max_length of string options. */
  stringLength: 6000,
  /** Names, descriptions and choice names and values of a command and everything in it, together. */
  commandSize: 8000,
  /** Chat-input commands, globally or in one guild. */
  chatInputCommands: 100,
} as const;

const SUBCOMMAND = ApplicationCommandOptionType.Subcommand;
const GROUP = ApplicationCommandOptionType.SubcommandGroup;

type Path = readonly (string | number)[];

function formError(path: Path, code: string, message: string, detail: string): ApiError {
  const form: FormError = { path, code, message };
  return new ApiError('InvalidForm', detail, form);
}

/** The installation types the simulated application has enabled (`integration_types_config` of /applications/@me). */
export const INSTALL_TYPES: readonly number[] = [0];

/** A list of enum values, null when absent; Discord refuses unknown values (and install types the app lacks). */
function enumList(value: unknown, allowed: readonly number[], field: string): number[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => allowed.includes(v as number))) {
    throw new ApiError('InvalidForm', `${field} must be a non-empty list of ${allowed.join(', ')}`);
  }
  return [...new Set(value as number[])];
}

interface OptionInput {
  type?: unknown;
  name?: unknown;
  description?: unknown;
  required?: unknown;
  options?: unknown;
  choices?: unknown;
  min_length?: unknown;
  max_length?: unknown;
}

export function commandRoutes(ctx: SimContext): Route[] {
  const scope = (
    params: Record<string, string>,
  ): { list: () => APIApplicationCommand[]; set: (c: APIApplicationCommand[]) => void; guildId: string | null } => {
    if (params.appId !== ctx.applicationId) throw new ApiError('UnknownApplication');
    const guildId = params.guildId ?? null;
    if (guildId === null) {
      return { guildId, list: () => ctx.state.commands.global, set: (c) => (ctx.state.commands.global = c) };
    }
    requireGuild(ctx, guildId);
    return {
      guildId,
      list: () => ctx.state.commands.guild.get(guildId) ?? [],
      set: (c) => void ctx.state.commands.guild.set(guildId, c),
    };
  };

  const normalize = (
    input: unknown,
    guildId: string | null,
    previous: APIApplicationCommand[],
    at: Path,
  ): APIApplicationCommand => {
    const c = (input ?? {}) as Record<string, unknown> & OptionInput;
    const type = (c.type as ApplicationCommandType | undefined) ?? ApplicationCommandType.ChatInput;
    validateName(c.name, [...at, 'name'], type === ApplicationCommandType.ChatInput);
    if (type === ApplicationCommandType.ChatInput) {
      validateDescription(c.description, [...at, 'description']);
      validateOptions(c.options, [...at, 'options'], 0);
      const size = commandSize(c);
      if (size > COMMAND_LIMITS.commandSize) {
        throw formError(at, 'APPLICATION_COMMAND_TOO_LARGE', `Command exceeds maximum size (${COMMAND_LIMITS.commandSize})`, `/${String(c.name)} is ${size} characters`);
      }
    }
    const existing = previous.find((p) => p.name === c.name && p.type === type);
    const integrationTypes = enumList(c.integration_types, INSTALL_TYPES, 'integration_types') ?? [...INSTALL_TYPES];
    const contexts = enumList(c.contexts, [0, 1, 2], 'contexts');
    // What Discord answers, its defaults included: integration_types defaults to the app's install types (guild
    // install only here), contexts stays null when not given, the deprecated dm_permission is still sent for global
    // commands. discord.js compares these on fetch, so a difference here would hide a re-registration at every start.
    return {
      ...(c as object),
      id: existing?.id ?? ctx.state.ids.next(),
      application_id: ctx.applicationId,
      version: ctx.state.ids.next(),
      type,
      name: c.name,
      description: typeof c.description === 'string' ? c.description : '',
      default_member_permissions: (c.default_member_permissions as string | null | undefined) ?? null,
      nsfw: Boolean(c.nsfw),
      integration_types: integrationTypes,
      contexts,
      ...(guildId ? { guild_id: guildId } : { dm_permission: (c.dm_permission as boolean | undefined) ?? (contexts ? contexts.includes(1) : true) }),
    } as APIApplicationCommand;
  };

  const routesFor = (base: string): Route[] => [
    { method: 'GET', path: base, auth: true, handle: ({ params }) => json(scope(params).list()) },
    {
      method: 'PUT',
      path: base,
      auth: true,
      handle: ({ params, body }) => {
        const target = scope(params);
        if (!Array.isArray(body)) throw new ApiError('InvalidForm', 'expected an array of commands');
        const previous = target.list();
        const commands = body.map((c, i) => normalize(c, target.guildId, previous, [i]));
        const names = commands.map((c) => `${c.type}:${c.name}`);
        const duplicate = names.findIndex((n, i) => names.indexOf(n) !== i);
        if (duplicate >= 0) throw formError([duplicate, 'name'], 'APPLICATION_COMMANDS_DUPLICATE_NAME', 'Application command names must be unique', 'duplicate command names');
        checkCount(commands);
        target.set(commands);
        ctx.state.commands.bulkOverwriteCount += 1;
        ctx.events.emit('change', undefined);
        return json(commands);
      },
    },
    {
      method: 'POST',
      path: base,
      auth: true,
      handle: ({ params, body }) => {
        const target = scope(params);
        const previous = target.list();
        const command = normalize(body, target.guildId, previous, []);
        // POST upserts by name and type, like Discord.
        const next = [...previous.filter((c) => c.id !== command.id), command];
        checkCount(next);
        target.set(next);
        ctx.events.emit('change', undefined);
        return json(command, previous.some((c) => c.id === command.id) ? 200 : 201);
      },
    },
    {
      method: 'DELETE',
      path: `${base}/:commandId`,
      auth: true,
      handle: ({ params }) => {
        const target = scope(params);
        const previous = target.list();
        if (!previous.some((c) => c.id === params.commandId)) throw new ApiError('UnknownCommand');
        target.set(previous.filter((c) => c.id !== params.commandId));
        ctx.events.emit('change', undefined);
        return undefined;
      },
    },
  ];

  return [...routesFor('/applications/:appId/commands'), ...routesFor('/applications/:appId/guilds/:guildId/commands')];
}

/** Discord's limit on chat-input commands per scope (global, or one guild). */
function checkCount(commands: readonly APIApplicationCommand[]): void {
  const chatInput = commands.filter((c) => c.type === ApplicationCommandType.ChatInput).length;
  if (chatInput > COMMAND_LIMITS.chatInputCommands) throw new ApiError('MaxApplicationCommands', `${chatInput} chat-input commands`);
}

function validateName(name: unknown, path: Path, chatInput: boolean): void {
  if (typeof name !== 'string' || !COMMAND_LIMITS.name.test(name) || (chatInput && name !== name.toLowerCase())) {
    throw formError(path, 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid', `invalid name ${JSON.stringify(name)}`);
  }
}

function validateLength(value: unknown, path: Path, min: number, max: number): void {
  if (typeof value !== 'string' || value.length < min || value.length > max) {
    throw formError(path, 'BASE_TYPE_BAD_LENGTH', `Must be between ${min} and ${max} in length.`, `${path.join('.')}: length ${typeof value === 'string' ? value.length : typeof value}`);
  }
}

function validateDescription(description: unknown, path: Path): void {
  validateLength(description, path, 1, COMMAND_LIMITS.description);
}

function maxLength(list: unknown[], max: number, path: Path): void {
  if (list.length > max) throw formError(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`, `${path.join('.')}: ${list.length} entries`);
}

/**
 * A level of options: a command's (depth 0), a subcommand group's (1) or a subcommand's. Subcommands and groups sit
 * only at the top (groups) or in a group (subcommands), never beside other option types; required options come
 * before optional ones; names are unique within a level.
 */
function validateOptions(options: unknown, path: Path, depth: 0 | 1 | 2): void {
  if (options === undefined || options === null) return;
  if (!Array.isArray(options)) throw formError(path, 'BASE_TYPE_ARRAY', 'Must be an array.', `${path.join('.')}: not an array`);
  maxLength(options, COMMAND_LIMITS.options, path);
  const list = options as OptionInput[];
  const nested = list.filter((o) => o.type === SUBCOMMAND || o.type === GROUP).length;
  if (nested > 0 && nested < list.length) {
    throw formError(path, 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID', 'Sub-command and sub-command group option types are mutually exclusive to all other types', `${path.join('.')}: subcommands mixed with options`);
  }
  let optionalSeen = false;
  const names = new Set<string>();
  for (const [i, raw] of list.entries()) {
    const at = [...path, i];
    validateName(raw.name, [...at, 'name'], true);
    if (names.has(raw.name as string)) throw formError([...at, 'name'], 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS', 'Option name is already used in these options', `duplicate option '${String(raw.name)}'`);
    names.add(raw.name as string);
    validateDescription(raw.description, [...at, 'description']);
    // Groups only at the top; subcommands at the top or in a group; nothing nested inside a subcommand.
    const allowed = raw.type === GROUP ? depth === 0 : raw.type === SUBCOMMAND ? depth <= 1 : depth !== 1;
    if (!allowed) throw formError([...at, 'type'], 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID', 'Invalid option type for this position', `${at.join('.')}: type ${String(raw.type)} cannot be nested here`);
    if (raw.type === GROUP || raw.type === SUBCOMMAND) {
      validateOptions(raw.options, [...at, 'options'], raw.type === GROUP ? 1 : 2);
      continue;
    }
    if (raw.required === true && optionalSeen) {
      throw formError([...at, 'required'], 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', 'Required options must be placed before non-required options', `required option '${String(raw.name)}' after optional ones`);
    }
    if (raw.required !== true) optionalSeen = true;
    validateChoices(raw, at);
  }
}

function validateChoices(raw: OptionInput, at: Path): void {
  for (const [key, lower] of [['min_length', 0], ['max_length', 1]] as const) {
    const v = raw[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || v < lower) throw formError([...at, key], 'NUMBER_TYPE_MIN', `Int value should be greater than or equal to ${lower}.`, `${key} ${String(v)}`);
    if (v > COMMAND_LIMITS.stringLength) throw formError([...at, key], 'NUMBER_TYPE_MAX', `Int value should be less than or equal to ${COMMAND_LIMITS.stringLength}.`, `${key} ${v}`);
  }
  if (raw.choices === undefined || raw.choices === null) return;
  if (!Array.isArray(raw.choices)) throw formError([...at, 'choices'], 'BASE_TYPE_ARRAY', 'Must be an array.', 'choices: not an array');
  maxLength(raw.choices, COMMAND_LIMITS.choices, [...at, 'choices']);
  for (const [j, choice] of (raw.choices as { name?: unknown; value?: unknown }[]).entries()) {
    validateLength(choice.name, [...at, 'choices', j, 'name'], 1, COMMAND_LIMITS.choiceName);
    if (typeof choice.value === 'string') validateLength(choice.value, [...at, 'choices', j, 'value'], 1, COMMAND_LIMITS.choiceValue);
  }
}

/** What counts towards a command's size: names, descriptions, and choice names and values, all the way down. */
export function commandSize(c: { name?: unknown; description?: unknown; options?: unknown; choices?: unknown }): number {
  const text = (v: unknown) => (typeof v === 'string' ? v.length : 0);
  const choices = Array.isArray(c.choices) ? (c.choices as { name?: unknown; value?: unknown }[]).reduce((n, ch) => n + text(ch.name) + String(ch.value ?? '').length, 0) : 0;
  const options = Array.isArray(c.options) ? (c.options as object[]).reduce<number>((n, o) => n + commandSize(o), 0) : 0;
  return text(c.name) + text(c.description) + choices + options;
}
