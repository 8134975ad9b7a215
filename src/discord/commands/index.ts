/** Every command the bot serves, in help order. Both the slash registration and the prefix parser read this list. */
import type { AnyCommand } from './types.js';
import { levelCheck } from './level/check.js';
import { levelLeaderboard } from './level/leaderboard.js';
import { settingCommands } from './admin/settings.js';
import { exclusionCommands } from './admin/exclusions.js';
import { rewardCommands } from './admin/rewards.js';
import { announceCommands } from './admin/announce.js';
import { multiplierCommands } from './admin/multipliers.js';
import { xpAdminCommand } from './admin/xp.js';
import { settingsOverview } from './admin/overview.js';
import { shopCommands } from './shop/index.js';
import { walletCommands } from './wallet/index.js';
import { clubCommands } from './clubs/index.js';

export const allCommands: AnyCommand[] = [
  levelCheck as AnyCommand,
  levelLeaderboard as AnyCommand,
  ...settingCommands,
  ...exclusionCommands,
  ...rewardCommands,
  ...announceCommands,
  ...multiplierCommands,
  xpAdminCommand as AnyCommand,
  settingsOverview as AnyCommand,
  ...shopCommands,
  ...walletCommands,
  ...clubCommands,
];
