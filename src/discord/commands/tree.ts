/**
 * Where commands live (DESIGN §3.1): the top-level slash commands and their subcommand groups, each with its
 * description and audience. A command's path must name a top-level command and group declared here, so adding a
 * command means choosing its place in this table; the registry refuses a path into an undeclared group.
 *
 * Members see the member tops (`/level`, `/xpshop`, `/wallet`, `/club`, …). What admins set is split by task over
 * admin tops, which Discord shows only to members with Manage Server (default_member_permissions): `/unicornia` for
 * how XP is earned, `/rewards` for what levels give, `/levelup` for how level-ups are announced, `/server` for the
 * server's data, web page and privacy rules. One admin top cannot hold it all: Discord counts 8 000 characters of
 * names, descriptions and choices per top-level command, and `/unicornia` alone had reached 6 000. Discord allows
 * 25 groups or subcommands per level: keep each well below that, and start a new group for a new task rather than
 * filling an old one. Groups without commands are not registered: they reserve the name for the issue that will
 * fill them.
 */
export type Audience = 'member' | 'admin';

export interface TopDecl {
  /** Shown by Discord under the command name (1–100 characters). */
  description: string;
  /** 'admin' tops are registered with default_member_permissions = Manage Server and may hold admin commands only. */
  audience: Audience;
  /** The help section's title. */
  title: string;
  /** Subcommand groups: name → description (1–100 characters). */
  groups?: Readonly<Record<string, string>>;
}

export const COMMAND_TREE: Readonly<Record<string, TopDecl>> = {
  help: { audience: 'member', title: 'Help', description: 'What you can use here, or how to use one command' },
  level: {
    audience: 'member',
    title: 'Levels',
    description: 'Your level, rank and XP card, and the server leaderboard',
    groups: {
      card: 'Your XP card: accent colour',
      // Issue 14: privacy settings of a member's own data.
      privacy: 'What is kept about you, and who may see it',
    },
  },
  // Issue 11: seasons as members see them (read-only views).
  season: { audience: 'member', title: 'Seasons', description: 'Seasons: the current one and past ones' },
  // Issue 14: a member's own data.
  privacy: { audience: 'member', title: 'Your data', description: 'Your data: export it or delete it' },
  xpshop: { audience: 'member', title: 'XP shop', description: 'Card backgrounds: browse, buy, equip' },
  balance: { audience: 'member', title: 'Wallet', description: 'Show your currency balance' },
  wallet: { audience: 'member', title: 'Wallet', description: 'Your currency: balance and transactions' },
  club: { audience: 'member', title: 'Clubs', description: 'Clubs: create, join, manage, leaderboard' },
  unicornia: {
    audience: 'admin',
    title: 'XP settings',
    description: 'How members earn XP in this server (needs Manage Server)',
    groups: {
      settings: 'Every setting at a glance; the prefix for text commands',
      xp: "Message XP: on/off, amount, cooldown, rate; change a member's XP",
      voice: 'Voice XP: per minute, anti-farming, daily cap',
      curve: 'The level curve: how much XP each level costs',
      exclusions: 'Channels, roles and members that earn no XP',
      multipliers: 'Extra XP multipliers for channels and roles',
      channels: 'Per-channel XP and cooldown',
      antispam: 'Rules that stop XP farming',
      card: "The XP card's defaults in this server",
      // Reserved for the issues that fill them (registered once they hold a command):
      season: 'Seasons: start one (winner roles, rollover, reset), end or cancel it',
      decay: 'XP decay for inactive members',
      xpevent: 'Timed XP events (double XP weekends)',
    },
  },
  // Subcommands without groups: one task each, well under 20 commands.
  rewards: { audience: 'admin', title: 'Rewards', description: 'Role and currency rewards for reaching levels (needs Manage Server)' },
  levelup: { audience: 'admin', title: 'Level-up messages', description: 'Level-up messages: where, text or embed, per level, card, preview (needs Manage Server)' },
  server: {
    audience: 'admin',
    title: 'Server',
    description: "This server's data, web page and privacy rules (needs Manage Server)",
    groups: {
      data: "The server's data: export, delete, how long members who left are kept",
      web: 'The web leaderboard page, API keys and webhooks',
      // Reserved for the issues that fill them:
      privacy: 'What members may hide or delete',
    },
  },
};
