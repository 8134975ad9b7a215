/**
 * Every table of the database and what it holds about a member and about a server (DESIGN §13): the one list that
 * `privacy export|delete` and `unicornia data export|delete` read. A test fails when a table exists that is not
 * declared here, so a table added later cannot be left out of an export or an erasure.
 *
 * Clauses are SQL over the named parameters `@user` and `@guild` (snowflakes bound as BigInt).
 */

/** What erasing a member (or a server) does with the rows a clause selects. */
export type EraseAction =
  /** The rows are deleted. */
  | 'delete'
  /** The rows stay with the member's id replaced by 0 (the anonymous id), so counts and totals still add up. */
  | 'anonymise'
  /** The rows stay as they are (the reason says why); they are still exported. */
  | 'keep'
  /** `PrivacyWriteStore` handles the table itself (the reason says how). */
  | 'special';

export interface Scope {
  /** WHERE clause selecting the rows. */
  where: string;
  erase: EraseAction;
  /** Why, for anything but 'delete'. */
  reason?: string;
  /** 'anonymise' only: the SET clause that replaces the member's id. */
  anonymise?: string;
}

export interface TablePrivacy {
  /** Rows about one member (`@user`), in every server; null when the table holds nothing about members. */
  member: Scope | null;
  /** Rows of one server (`@guild`); null when the table holds nothing per server. */
  guild: Scope | null;
  /** Rows about one member in one server (retention, opting out with erase); null when `member` has no server. */
  memberInGuild: Scope | null;
  /** Why a table with nothing about members or servers is here. */
  note?: string;
  /** Columns left out of exports: secrets shown once to an admin, which an export must not hand out again. */
  unexported?: readonly string[];
}

/** The id that replaces a member's in anonymised rows. No Discord account has it. */
export const ANONYMOUS_ID = 0n;

const IMPORT_LEDGER =
  "what an import already brought in: erasing it would make a re-import of the old bot's data bring everything back";

export const PRIVACY_CATALOG: Readonly<Record<string, TablePrivacy>> = {
  UserXpStats: {
    member: { where: 'UserId = @user', erase: 'delete' },
    guild: { where: 'GuildId = @guild', erase: 'delete' },
    memberInGuild: { where: 'GuildId = @guild AND UserId = @user', erase: 'delete' },
  },
  DiscordUser: {
    member: { where: 'UserId = @user', erase: 'special', reason: 'clubs the member owns are handed to a club admin or disbanded first, then the row is deleted' },
    guild: null,
    memberInGuild: null,
    note: "global per member; erasing a server (or a member in it) takes that server's XP out of TotalXp",
  },
  XpSettings: { member: null, guild: { where: 'GuildId = @guild', erase: 'delete' }, memberInGuild: null },
  XpExcludedItem: {
    member: { where: "ItemType = 'user' AND ItemId = @user", erase: 'delete' },
    guild: { where: 'GuildId = @guild', erase: 'delete' },
    memberInGuild: { where: "GuildId = @guild AND ItemType = 'user' AND ItemId = @user", erase: 'delete' },
  },
  XpRoleReward: { member: null, guild: { where: 'GuildId = @guild', erase: 'delete' }, memberInGuild: null },
  XpCurrencyReward: { member: null, guild: { where: 'GuildId = @guild', erase: 'delete' }, memberInGuild: null },
  CurrencyTransaction: {
    member: {
      where: 'UserId = @user',
      erase: 'special',
      reason: 'anonymised, with one anonymous row taking the erased balance out, so the ledger still adds up to the balances',
    },
    guild: null,
    memberInGuild: null,
    note: 'the wallet is global: erasing a server keeps members\u2019 wallets',
  },
  XpMultiplier: { member: null, guild: { where: 'GuildId = @guild', erase: 'delete' }, memberInGuild: null },
  VoiceXpDaily: {
    member: { where: 'UserId = @user', erase: 'delete' },
    guild: { where: 'GuildId = @guild', erase: 'delete' },
    memberInGuild: { where: 'GuildId = @guild AND UserId = @user', erase: 'delete' },
  },
  XpAdminAction: {
    member: {
      where: 'UserId = @user OR ActorId = @user',
      erase: 'anonymise',
      reason: "the server's audit of XP changes keeps its amounts; the member's id (as target or as the admin) becomes 0",
      anonymise: 'UserId = CASE WHEN UserId = @user THEN 0 ELSE UserId END, ActorId = CASE WHEN ActorId = @user THEN 0 ELSE ActorId END',
    },
    guild: { where: 'GuildId = @guild', erase: 'delete' },
    memberInGuild: {
      where: 'GuildId = @guild AND UserId = @user',
      erase: 'anonymise',
      reason: "the server's audit of XP changes keeps its amounts; the member's id becomes 0",
      anonymise: 'UserId = 0',
    },
  },
  FlushState: { member: null, guild: null, memberInGuild: null, note: "each writing process's last flush number" },
  XpShopOwnedItem: { member: { where: 'UserId = @user', erase: 'delete' }, guild: null, memberInGuild: null },
  Clubs: {
    member: { where: 'OwnerId = @user', erase: 'special', reason: 'handed to a club admin (the lowest id), or disbanded when it has none' },
    guild: null,
    memberInGuild: null,
  },
  ClubApplicants: { member: { where: 'UserId = @user', erase: 'delete' }, guild: null, memberInGuild: null },
  ClubBans: { member: { where: 'UserId = @user', erase: 'delete' }, guild: null, memberInGuild: null },
  NadekoImportXp: {
    member: { where: 'UserId = @user', erase: 'keep', reason: IMPORT_LEDGER },
    guild: { where: 'GuildId = @guild', erase: 'delete' },
    memberInGuild: { where: 'GuildId = @guild AND UserId = @user', erase: 'keep', reason: IMPORT_LEDGER },
  },
  NadekoImportUser: { member: { where: 'UserId = @user', erase: 'keep', reason: IMPORT_LEDGER }, guild: null, memberInGuild: null },
  NadekoImportItem: {
    member: {
      where: "(Kind = 'shop_item' AND ItemKey LIKE @user || ':%') OR (Kind = 'exclusion' AND ItemKey LIKE '%:user:' || @user)",
      erase: 'keep',
      reason: IMPORT_LEDGER,
    },
    guild: { where: "Kind != 'shop_item' AND (ItemKey = CAST(@guild AS TEXT) OR ItemKey LIKE @guild || ':%')", erase: 'delete' },
    memberInGuild: null,
  },
  NadekoImportClub: { member: null, guild: null, memberInGuild: null, note: 'Nadeko club names and the club each became' },
  XpRankBucket: {
    member: null,
    guild: { where: 'GuildId = @guild', erase: 'delete' },
    memberInGuild: null,
    note: 'member counts per XP bucket, kept by triggers on UserXpStats',
  },
  RoleChangeQueue: {
    member: { where: 'UserId = @user', erase: 'delete' },
    guild: { where: 'GuildId = @guild', erase: 'delete' },
    memberInGuild: { where: 'GuildId = @guild AND UserId = @user', erase: 'delete' },
  },
  ShardClaim: { member: null, guild: null, memberInGuild: null, note: 'which process serves which shards' },
  BotState: { member: null, guild: null, memberInGuild: null, note: 'facts the bot keeps about itself' },
  ImportXp: {
    member: { where: 'UserId = @user', erase: 'keep', reason: IMPORT_LEDGER },
    guild: { where: 'GuildId = @guild', erase: 'delete' },
    memberInGuild: { where: 'GuildId = @guild AND UserId = @user', erase: 'keep', reason: IMPORT_LEDGER },
  },
  XpChannelRate: { member: null, guild: { where: 'GuildId = @guild', erase: 'delete' }, memberInGuild: null },
  XpLevelUpMessage: { member: null, guild: { where: 'GuildId = @guild', erase: 'delete' }, memberInGuild: null },
  GuildJob: {
    member: null,
    guild: { where: 'GuildId = @guild', erase: 'delete' },
    memberInGuild: null,
    note: 'passes over a whole server (role sync, re-levelling); StartedBy is the admin who asked',
  },
  XpOptOut: {
    member: { where: 'UserId = @user', erase: 'keep', reason: 'your objection to being tracked: erasing it would start tracking you again (`level optin` removes it)' },
    guild: { where: 'GuildId = @guild', erase: 'delete' },
    memberInGuild: { where: 'GuildId = @guild AND UserId = @user', erase: 'keep', reason: 'the objection to being tracked in that server' },
  },
  WebGuild: {
    member: null,
    guild: { where: 'GuildId = @guild', erase: 'delete' },
    memberInGuild: null,
    note: "whether the server's web page is on, its slug, and a copy of its name and icon",
  },
  WebRole: { member: null, guild: { where: 'GuildId = @guild', erase: 'delete' }, memberInGuild: null, note: "a copy of the server's role names and colours" },
  MemberProfile: {
    member: { where: 'UserId = @user', erase: 'delete' },
    guild: { where: 'GuildId = @guild', erase: 'delete' },
    memberInGuild: { where: 'GuildId = @guild AND UserId = @user', erase: 'delete' },
  },
  WebHiddenMember: {
    member: {
      where: 'UserId = @user',
      erase: 'keep',
      reason: 'your choice to be hidden on web pages: erasing it would show your name again when you next speak (`level privacy show` removes it)',
    },
    guild: null,
    memberInGuild: null,
  },
  WebApiKey: {
    member: {
      where: 'CreatedById = @user',
      erase: 'anonymise',
      reason: "the server's API key keeps working; the admin who created it becomes 0",
      anonymise: 'CreatedById = 0',
    },
    guild: { where: 'GuildId = @guild', erase: 'delete' },
    memberInGuild: null,
    note: 'keys are stored as their SHA-256 only',
    unexported: ['Hash'],
  },
  Webhook: {
    member: null,
    guild: { where: 'GuildId = @guild', erase: 'delete' },
    memberInGuild: null,
    note: "the server's webhook URLs and signing secrets",
    unexported: ['Secret'],
  },
  WebhookOutbox: {
    member: { where: 'UserId = @user', erase: 'delete' },
    guild: { where: 'GuildId = @guild', erase: 'delete' },
    memberInGuild: { where: 'GuildId = @guild AND UserId = @user', erase: 'delete' },
  },
  XpHistoryDaily: {
    member: { where: 'UserId = @user', erase: 'delete' },
    guild: { where: 'GuildId = @guild', erase: 'delete' },
    memberInGuild: { where: 'GuildId = @guild AND UserId = @user', erase: 'delete' },
  },
  XpHistoryMonthly: {
    member: { where: 'UserId = @user', erase: 'delete' },
    guild: { where: 'GuildId = @guild', erase: 'delete' },
    memberInGuild: { where: 'GuildId = @guild AND UserId = @user', erase: 'delete' },
  },
  // How many times a server's period boards changed (DESIGN §15.2): a counter, nothing about a member. It goes with
  // the server's data; the erasure recorded with it already makes every board held in memory read the server again.
  XpBoardGeneration: { member: null, guild: { where: 'GuildId = @guild', erase: 'delete' }, memberInGuild: null },
  // Timed XP events (DESIGN §15.5) and the channels and roles they are limited to: the server's, nothing about members.
  XpEventScope: { member: null, guild: { where: 'GuildId = @guild', erase: 'delete' }, memberInGuild: null },
  XpEvent: { member: null, guild: { where: 'GuildId = @guild', erase: 'delete' }, memberInGuild: null },
  XpSeason: {
    member: {
      where: 'StartedBy = @user',
      erase: 'anonymise',
      reason: 'the season stays the server\'s; the admin who started it becomes 0',
      anonymise: 'StartedBy = 0',
    },
    guild: { where: 'GuildId = @guild', erase: 'delete' },
    memberInGuild: null,
  },
  XpSeasonStanding: {
    member: { where: 'UserId = @user', erase: 'delete' },
    guild: { where: 'GuildId = @guild', erase: 'delete' },
    memberInGuild: { where: 'GuildId = @guild AND UserId = @user', erase: 'delete' },
  },
  XpDecayExemptRole: { member: null, guild: { where: 'GuildId = @guild', erase: 'delete' }, memberInGuild: null, note: 'roles whose members never decay' },
  XpDecayRun: {
    member: null,
    guild: { where: 'GuildId = @guild', erase: 'delete' },
    memberInGuild: null,
    note: "the server's daily decay run: the last day done, and where a run under way is",
  },
  PrivacyErasure: {
    member: null,
    guild: null,
    memberInGuild: null,
    note: 'the id of an erased member or server, kept one day so every process drops what it had buffered',
  },
};
