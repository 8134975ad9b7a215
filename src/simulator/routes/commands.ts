/**
 * Application command registration. Commands are validated the way Discord rejects them (names, descriptions,
 * option order), stored, and keep their ids across overwrites; every bulk overwrite is counted, because a bot that
 * re-registers on each start burns a rate-limited call.
 */
import { ApplicationCommandOptionType, ApplicationCommandType, type APIApplicationCommand } from 'discord.js';
import type { SimContext } from '../context.js';
import { ApiError } from '../errors.js';
import { json, type Route } from '../server.js';
import { requireGuild } from './lookup.js';

const NAME = /^[-_\p{L}\p{N}]{1,32}$/u;

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
  ): APIApplicationCommand => {
    const c = (input ?? {}) as Record<string, unknown> & OptionInput;
    const type = (c.type as ApplicationCommandType | undefined) ?? ApplicationCommandType.ChatInput;
    if (typeof c.name !== 'string' || !NAME.test(c.name))
      throw new ApiError('InvalidForm', `invalid command name ${JSON.stringify(c.name)}`);
    if (type === ApplicationCommandType.ChatInput) {
      if (c.name !== c.name.toLowerCase())
        throw new ApiError('InvalidForm', `command name '${c.name}' must be lowercase`);
      validateDescription(c.description, c.name);
      validateOptions(c.options, `/${c.name}`);
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
        const commands = body.map((c) => normalize(c, target.guildId, previous));
        const names = commands.map((c) => `${c.type}:${c.name}`);
        if (new Set(names).size !== names.length) throw new ApiError('InvalidForm', 'duplicate command names');
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
        const command = normalize(body, target.guildId, previous);
        // POST upserts by name and type, like Discord.
        target.set([...previous.filter((c) => c.id !== command.id), command]);
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

function validateDescription(description: unknown, where: string): void {
  if (typeof description !== 'string' || description.length < 1 || description.length > 100) {
    throw new ApiError('InvalidForm', `${where}: description must be 1-100 characters`);
  }
}

function validateOptions(options: unknown, where: string): void {
  if (options === undefined || options === null) return;
  if (!Array.isArray(options) || options.length > 25) throw new ApiError('InvalidForm', `${where}: at most 25 options`);
  let optionalSeen = false;
  const names = new Set<string>();
  for (const raw of options as OptionInput[]) {
    if (typeof raw.name !== 'string' || !NAME.test(raw.name) || raw.name !== raw.name.toLowerCase()) {
      throw new ApiError('InvalidForm', `${where}: invalid option name ${JSON.stringify(raw.name)}`);
    }
    if (names.has(raw.name)) throw new ApiError('InvalidForm', `${where}: duplicate option '${raw.name}'`);
    names.add(raw.name);
    validateDescription(raw.description, `${where} ${raw.name}`);
    const nested =
      raw.type === ApplicationCommandOptionType.Subcommand || raw.type === ApplicationCommandOptionType.SubcommandGroup;
    if (nested) {
      validateOptions(raw.options, `${where} ${raw.name}`);
      continue;
    }
    if (raw.required === true && optionalSeen) {
      throw new ApiError('InvalidForm', `${where}: required option '${raw.name}' must come before optional ones`);
    }
    if (raw.required !== true) optionalSeen = true;
  }
}
