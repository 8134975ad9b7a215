/**
 * What every part of the simulator shares: the state, the gateway, the event bus and the identity of the
 * simulated application. Passed explicitly (no module-level singletons), so two simulators can run side by side.
 */
import type { SimulatorEvents } from './events.js';
import type { Gateway } from './gateway.js';
import type { InteractionRegistry } from './interactions.js';
import type { SimState } from './state.js';

export interface SimContext {
  readonly state: SimState;
  readonly gateway: Gateway;
  readonly events: SimulatorEvents;
  readonly interactions: InteractionRegistry;
  readonly token: string;
  readonly botUserId: string;
  /** The application id; equal to the bot user's id, as for every application created since 2016. */
  readonly applicationId: string;
  /** The human who owns the application (`GET /applications/@me` → `owner`). */
  readonly ownerUserId: string;
  /** Whether the application has the GUILD_MEMBERS privileged intent on (REST member listing needs it). */
  readonly guildMembersIntentEnabled: boolean;
  /** `http://127.0.0.1:PORT`, for attachment URLs. */
  baseUrl(): string;
  warn(message: string): void;
}
