/**
 * Every command the bot serves, in help order. Both the slash registration and the prefix parser read this list;
 * where each one sits in the slash tree is declared in tree.ts (DESIGN §3.1).
 */
import type { AnyCommand } from './types.js';
import { help } from './help/help.js';
import { levelCheck } from './level/check.js';
import { levelLeaderboard } from './level/leaderboard.js';
import { levelHistory } from './level/history.js';
import { optOutCommands } from './level/optout.js';
import { levelCardColor } from './level/card-color.js';
import { cardCommands } from './admin/card.js';
import { settingsCommands } from './admin/settings.js';
import { historySettingsCommands } from './admin/history-settings.js';
import { decayCommands } from './admin/decay.js';
import { xpSettingCommands } from './admin/xp.js';
import { xpAdjustCommands } from './admin/xp-adjust.js';
import { voiceCommands } from './admin/voice.js';
import { curveCommands } from './admin/curve.js';
import { rewardCommands } from './admin/rewards.js';
import { exclusionCommands } from './admin/exclusions.js';
import { channelCommands } from './admin/channels.js';
import { antispamCommands } from './admin/antispam.js';
import { multiplierCommands } from './admin/multipliers.js';
import { announceCommands } from './admin/announce.js';
import { dataCommands } from './admin/data.js';
import { shopCommands } from './shop/index.js';
import { walletCommands } from './wallet/index.js';
import { clubCommands } from './clubs/index.js';
import { privacyCommands } from './privacy/member.js';
import { privacyCommands as webPrivacyCommands } from './level/privacy.js';
import { webCommands } from './admin/web.js';
import { xpEventCommands } from './admin/xp-events.js';
import { seasonAdminCommands } from './admin/season.js';
import { seasonMemberCommands } from './season/season.js';

export const allCommands: AnyCommand[] = [
  help as AnyCommand,
  levelCheck as AnyCommand,
  levelLeaderboard as AnyCommand,
  levelHistory as AnyCommand,
  ...seasonMemberCommands,
  ...optOutCommands,
  levelCardColor as AnyCommand,
  ...webPrivacyCommands,
  ...shopCommands,
  ...walletCommands,
  ...clubCommands,
  ...privacyCommands,
  ...settingsCommands,
  ...historySettingsCommands,
  ...seasonAdminCommands,
  ...decayCommands,
  ...xpSettingCommands,
  ...xpAdjustCommands,
  ...voiceCommands,
  ...curveCommands,
  ...rewardCommands,
  ...exclusionCommands,
  ...channelCommands,
  ...antispamCommands,
  ...multiplierCommands,
  ...xpEventCommands,
  ...announceCommands,
  ...dataCommands,
  ...cardCommands,
  ...webCommands,
];
