/**
 * Slash-command registration, shared by the bot's start and `npm run register`: register only when Discord's copy
 * differs (registration is rate limited), and remove the commands a previous run registered in a dev server that is
 * no longer the one configured (DEV_GUILD_ID changed or turned off), which would otherwise stay there for good.
 */
import type { ApplicationCommand, RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { Logger } from '../util/logger.js';

/** Discord's command list, global (guildId undefined) or one server's. */
export interface CommandApi {
  fetch(guildId: string | undefined): Promise<ReadonlyArray<Pick<ApplicationCommand, 'name' | 'equals'>>>;
  set(commands: RESTPostAPIChatInputApplicationCommandsJSONBody[], guildId: string | undefined): Promise<unknown>;
}

/** Where the dev server of the last registration is remembered between runs. */
export interface CommandSyncState {
  get(key: string): Promise<string | null>;
  set(key: string, value: string | null): Promise<void>;
}

const DEV_GUILD_KEY = 'commands.devGuildId';

export interface SyncResult {
  registered: boolean;
  /** The dev server whose commands were removed, if any. */
  cleared: string | null;
}

export async function syncCommands(
  api: CommandApi,
  state: CommandSyncState,
  wanted: RESTPostAPIChatInputApplicationCommandsJSONBody[],
  guildId: string | undefined,
  logger: Logger,
  options: { force?: boolean } = {},
): Promise<SyncResult> {
  let cleared: string | null = null;
  const previous = await state.get(DEV_GUILD_KEY);
  if (previous && previous !== guildId) {
    try {
      await api.set([], previous);
      cleared = previous;
      logger.info({ guildId: previous }, 'removed the slash commands of the previous dev server');
    } catch (error) {
      // The bot may have been removed from that server; nothing more can be done there.
      logger.warn({ err: error, guildId: previous }, 'could not remove the slash commands of the previous dev server');
    }
  }
  let registered = true;
  if (!options.force) {
    const existing = await api.fetch(guildId);
    registered = !(existing.length === wanted.length && wanted.every((w) => existing.find((c) => c.name === w.name)?.equals(w as never) ?? false));
  }
  if (registered) await api.set(wanted, guildId);
  await state.set(DEV_GUILD_KEY, guildId ?? null);
  if (registered) logger.info({ commands: wanted.length, guildId }, 'slash commands registered');
  return { registered, cleared };
}
