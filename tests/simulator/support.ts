/**
 * Shared setup for the simulator tests: a simulator with one guild, and a real discord.js Client logged in to it.
 * Everything created here is torn down by `teardown()` (client first: a live client would try to reconnect).
 */
import { once } from 'node:events';
import { Client, GatewayIntentBits, Partials, type ClientOptions } from 'discord.js';
import { silentLogger } from '../../src/util/logger.js';
import { DiscordSimulator, type DiscordSimulatorOptions } from '../../src/simulator/index.js';

/** A valid 2×3 PNG (signature + IHDR is all the simulator reads). */
export const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from([0, 0, 0, 13]),
  Buffer.from('IHDR'),
  Buffer.from([0, 0, 0, 2, 0, 0, 0, 3, 8, 6, 0, 0, 0]),
  Buffer.from([0, 0, 0, 0]),
]);

export const ALL_TEST_INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMembers,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.GuildVoiceStates,
  GatewayIntentBits.DirectMessages,
  GatewayIntentBits.MessageContent,
];

export interface World {
  sim: DiscordSimulator;
  client: Client;
  guildId: string;
  textId: string;
  voiceId: string;
  alice: string;
  bob: string;
  teardown(): Promise<void>;
}

/** A simulator with a guild (text + voice channel, members alice and bob); nothing logged in yet. */
export async function startSimulator(options: Partial<DiscordSimulatorOptions> = {}): Promise<DiscordSimulator> {
  return DiscordSimulator.start({ logger: silentLogger, ...options });
}

export function newClient(sim: DiscordSimulator, overrides: Partial<ClientOptions> = {}): Client {
  return new Client({
    intents: ALL_TEST_INTENTS,
    partials: [Partials.Channel],
    ...sim.clientOptions(),
    ...overrides,
  });
}

/** Logs a client in and waits for `clientReady` (all guilds received). */
export async function login(client: Client, token: string): Promise<void> {
  const ready = once(client, 'clientReady');
  await client.login(token);
  await ready;
}

export async function world(
  options: Partial<DiscordSimulatorOptions> = {},
  clientOptions: Partial<ClientOptions> = {},
): Promise<World> {
  const sim = await startSimulator(options);
  const guild = sim.createGuild({ name: 'Unicorn Farm' });
  const text = sim.createChannel(guild.id, { name: 'general' });
  const voice = sim.createChannel(guild.id, { name: 'Lounge', type: 2 });
  const alice = sim.createUser({ username: 'alice' }).id;
  const bob = sim.createUser({ username: 'bob' }).id;
  sim.addMember(guild.id, alice);
  sim.addMember(guild.id, bob);
  const client = newClient(sim, clientOptions);
  await login(client, sim.token);
  return {
    sim,
    client,
    guildId: guild.id,
    textId: text.id,
    voiceId: voice.id,
    alice,
    bob,
    teardown: async () => {
      await client.destroy();
      await sim.stop();
    },
  };
}
