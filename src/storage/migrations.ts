/**
 * Versioned schema migrations. `PRAGMA user_version` holds the number of migrations applied; opening a file runs
 * the missing ones in order, each in its own transaction, so an existing database upgrades in place.
 * Never edit a migration that has shipped: add a new one.
 *
 * Snowflakes are INTEGER columns (64-bit); TypeScript binds them as BigInt and reads them back as strings.
 */
import { backfillSlotsSql, slotColumnsSql } from './period-slots.js';

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    description: 'XP core: per-guild XP, global users, settings, exclusions, rewards, wallet',
    sql: `
      CREATE TABLE UserXpStats (
        GuildId INTEGER NOT NULL,
        UserId INTEGER NOT NULL,
        Xp INTEGER NOT NULL DEFAULT 0,
        AwardedXp INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (GuildId, UserId)
      ) WITHOUT ROWID;
      CREATE INDEX IX_UserXpStats_Leaderboard ON UserXpStats (GuildId, Xp DESC, UserId);

      CREATE TABLE DiscordUser (
        UserId INTEGER PRIMARY KEY,
        Username TEXT,
        TotalXp INTEGER NOT NULL DEFAULT 0,
        CurrencyAmount INTEGER NOT NULL DEFAULT 0
      );

      CREATE TABLE XpSettings (
        GuildId INTEGER PRIMARY KEY,
        XpEnabled INTEGER NOT NULL DEFAULT 1,
        XpRateMultiplier REAL NOT NULL DEFAULT 1.0,
        XpPerMessage INTEGER NOT NULL DEFAULT 1,
        CooldownSeconds INTEGER NOT NULL DEFAULT 60
      );

      CREATE TABLE XpExcludedItem (
        GuildId INTEGER NOT NULL,
        ItemType TEXT NOT NULL CHECK (ItemType IN ('channel', 'role', 'user')),
        ItemId INTEGER NOT NULL,
        PRIMARY KEY (GuildId, ItemType, ItemId)
      ) WITHOUT ROWID;

      CREATE TABLE XpRoleReward (
        GuildId INTEGER NOT NULL,
        Level INTEGER NOT NULL,
        RoleId INTEGER NOT NULL,
        Remove INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (GuildId, Level, RoleId)
      ) WITHOUT ROWID;

      CREATE TABLE XpCurrencyReward (
        GuildId INTEGER NOT NULL,
        Level INTEGER NOT NULL,
        Amount INTEGER NOT NULL,
        PRIMARY KEY (GuildId, Level)
      ) WITHOUT ROWID;

      CREATE TABLE CurrencyTransaction (
        Id INTEGER PRIMARY KEY AUTOINCREMENT,
        UserId INTEGER NOT NULL,
        Amount INTEGER NOT NULL,
        Type TEXT NOT NULL,
        Note TEXT,
        DateAdded INTEGER NOT NULL
      );
      CREATE INDEX IX_CurrencyTransaction_User ON CurrencyTransaction (UserId, Id DESC);
    `,
  },
  {
    version: 2,
    description: 'Exactly-once rewards, membership, voice, announcements, multipliers, curve, audit, flush marker',
    sql: `
      -- Highest level whose rewards were paid; moved in the same transaction as the payment (DESIGN §2.4).
      ALTER TABLE UserXpStats ADD COLUMN RewardedLevel INTEGER NOT NULL DEFAULT 0;
      -- Rows from before this migration had their rewards already: the mark starts at their level (Nadeko's curve,
      -- the only one then: L = floor((sqrt(8·Xp + 441) − 21) / 6)).
      UPDATE UserXpStats SET RewardedLevel = CAST((sqrt(8.0 * Xp + 441) - 21) / 6 AS INTEGER) WHERE Xp > 0;
      -- Members who left are hidden from the leaderboard and the rank; the partial index serves both.
      ALTER TABLE UserXpStats ADD COLUMN HasLeft INTEGER NOT NULL DEFAULT 0;
      DROP INDEX IX_UserXpStats_Leaderboard;
      CREATE INDEX IX_UserXpStats_Leaderboard ON UserXpStats (GuildId, Xp DESC, UserId) WHERE HasLeft = 0;

      ALTER TABLE XpSettings ADD COLUMN VoiceXpPerMinute INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE XpSettings ADD COLUMN VoiceAntiFarm INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE XpSettings ADD COLUMN VoiceDailyCapMinutes INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE XpSettings ADD COLUMN CurveA INTEGER NOT NULL DEFAULT 9;
      ALTER TABLE XpSettings ADD COLUMN CurveC INTEGER NOT NULL DEFAULT 27;
      ALTER TABLE XpSettings ADD COLUMN AnnounceMode TEXT NOT NULL DEFAULT 'channel';
      ALTER TABLE XpSettings ADD COLUMN AnnounceChannelId INTEGER;
      ALTER TABLE XpSettings ADD COLUMN AnnounceTemplate TEXT;
      ALTER TABLE XpSettings ADD COLUMN AnnouncePing INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE XpSettings ADD COLUMN Prefix TEXT;
      ALTER TABLE XpSettings ADD COLUMN ReapplyRolesOnRejoin INTEGER NOT NULL DEFAULT 1;

      CREATE TABLE XpMultiplier (
        GuildId INTEGER NOT NULL,
        ItemType TEXT NOT NULL CHECK (ItemType IN ('channel', 'role')),
        ItemId INTEGER NOT NULL,
        Multiplier REAL NOT NULL,
        PRIMARY KEY (GuildId, ItemType, ItemId)
      ) WITHOUT ROWID;

      CREATE TABLE VoiceXpDaily (
        GuildId INTEGER NOT NULL,
        UserId INTEGER NOT NULL,
        Day INTEGER NOT NULL,
        Minutes INTEGER NOT NULL,
        PRIMARY KEY (GuildId, UserId, Day)
      ) WITHOUT ROWID;

      CREATE TABLE XpAdminAction (
        Id INTEGER PRIMARY KEY AUTOINCREMENT,
        GuildId INTEGER NOT NULL,
        UserId INTEGER NOT NULL,
        ActorId INTEGER NOT NULL,
        Action TEXT NOT NULL,
        Amount INTEGER NOT NULL,
        DateAdded INTEGER NOT NULL
      );

      -- Per writing process: the sequence number of its last committed flush. A reader that sees the XP of a
      -- flush also sees its number in the same snapshot, so it knows whether that flush's in-flight gains are
      -- already counted. Keyed by writer so several processes can share the file.
      CREATE TABLE FlushState (WriterId TEXT PRIMARY KEY, Seq INTEGER NOT NULL, UpdatedAt INTEGER NOT NULL);
    `,
  },
  {
    version: 3,
    description: 'XP shop and clubs',
    sql: `
      CREATE TABLE XpShopOwnedItem (
        Id INTEGER PRIMARY KEY AUTOINCREMENT,
        UserId INTEGER NOT NULL,
        ItemType INTEGER NOT NULL,
        ItemKey TEXT NOT NULL,
        IsUsing INTEGER NOT NULL DEFAULT 0,
        DateAdded INTEGER NOT NULL,
        UNIQUE (UserId, ItemType, ItemKey)
      );
      -- At most one equipped item per user and type.
      CREATE UNIQUE INDEX UX_XpShopOwnedItem_Using ON XpShopOwnedItem (UserId, ItemType) WHERE IsUsing = 1;

      CREATE TABLE Clubs (
        Id INTEGER PRIMARY KEY AUTOINCREMENT,
        Name TEXT NOT NULL COLLATE NOCASE UNIQUE,
        Description TEXT,
        ImageUrl TEXT,
        OwnerId INTEGER NOT NULL,
        Xp INTEGER NOT NULL DEFAULT 0,
        IsOpen INTEGER NOT NULL DEFAULT 0,
        DateAdded INTEGER NOT NULL
      );
      ALTER TABLE DiscordUser ADD COLUMN ClubId INTEGER REFERENCES Clubs (Id) ON DELETE SET NULL;
      ALTER TABLE DiscordUser ADD COLUMN IsClubAdmin INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX IX_DiscordUser_Club ON DiscordUser (ClubId) WHERE ClubId IS NOT NULL;
      CREATE TABLE ClubApplicants (
        ClubId INTEGER NOT NULL REFERENCES Clubs (Id) ON DELETE CASCADE,
        UserId INTEGER NOT NULL,
        DateAdded INTEGER NOT NULL,
        PRIMARY KEY (ClubId, UserId)
      ) WITHOUT ROWID;
      CREATE TABLE ClubBans (
        ClubId INTEGER NOT NULL REFERENCES Clubs (Id) ON DELETE CASCADE,
        UserId INTEGER NOT NULL,
        PRIMARY KEY (ClubId, UserId)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 4,
    description: 'NadekoBot import ledger: what each import run brought in, so a re-run adds only the difference',
    sql: `
      -- Source values already imported per (guild, user): a re-run adds (Nadeko now - ledger) to Unicornia's XP,
      -- so XP earned in Unicornia since the first run is kept and nothing is counted twice.
      CREATE TABLE NadekoImportXp (
        GuildId INTEGER NOT NULL,
        UserId INTEGER NOT NULL,
        Xp INTEGER NOT NULL,
        AwardedXp INTEGER NOT NULL,
        PRIMARY KEY (GuildId, UserId)
      ) WITHOUT ROWID;
      -- The same for the global per-user values (DiscordUser.TotalXp and the wallet).
      CREATE TABLE NadekoImportUser (
        UserId INTEGER PRIMARY KEY,
        TotalXp INTEGER NOT NULL,
        CurrencyAmount INTEGER NOT NULL
      );
      -- Configuration rows imported once (exclusions, rewards, curve, announcement, shop items, club membership…):
      -- a re-run skips them, so an admin's later change in Unicornia is never undone. Kind + natural key.
      CREATE TABLE NadekoImportItem (
        Kind TEXT NOT NULL,
        ItemKey TEXT NOT NULL,
        PRIMARY KEY (Kind, ItemKey)
      ) WITHOUT ROWID;
      -- Clubs by Nadeko name: the Unicornia club they became and the club XP imported so far.
      CREATE TABLE NadekoImportClub (
        Name TEXT NOT NULL COLLATE NOCASE PRIMARY KEY,
        ClubId INTEGER NOT NULL,
        Xp INTEGER NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 5,
    description: 'Rank buckets: members per floor(sqrt(Xp)) per guild, kept by triggers, so a rank is O(√XP) not O(rank)',
    sql: `
      -- Counting everyone ahead of the median member of a 1 000 000-member guild walks 500 000 index entries
      -- (~20–50 ms). With members counted per bucket floor(sqrt(Xp)), a rank is a sum over the buckets above
      -- plus a count inside one bucket (2·bucket+1 XP values wide). Triggers keep the counts exact for every
      -- writer (flush, payments, membership, imports). Members who left (HasLeft = 1) are not counted.
      CREATE TABLE XpRankBucket (
        GuildId INTEGER NOT NULL,
        Bucket INTEGER NOT NULL,
        Members INTEGER NOT NULL,
        PRIMARY KEY (GuildId, Bucket)
      ) WITHOUT ROWID;
      INSERT INTO XpRankBucket (GuildId, Bucket, Members)
        SELECT GuildId, CAST(sqrt(max(Xp, 0)) AS INTEGER), COUNT(*) FROM UserXpStats WHERE HasLeft = 0 GROUP BY 1, 2;

      CREATE TRIGGER TR_UserXpStats_Insert AFTER INSERT ON UserXpStats WHEN NEW.HasLeft = 0 BEGIN
        INSERT INTO XpRankBucket (GuildId, Bucket, Members) VALUES (NEW.GuildId, CAST(sqrt(max(NEW.Xp, 0)) AS INTEGER), 1)
          ON CONFLICT (GuildId, Bucket) DO UPDATE SET Members = Members + 1;
      END;
      CREATE TRIGGER TR_UserXpStats_Delete AFTER DELETE ON UserXpStats WHEN OLD.HasLeft = 0 BEGIN
        UPDATE XpRankBucket SET Members = Members - 1
          WHERE GuildId = OLD.GuildId AND Bucket = CAST(sqrt(max(OLD.Xp, 0)) AS INTEGER);
      END;
      CREATE TRIGGER TR_UserXpStats_Update AFTER UPDATE OF Xp, HasLeft ON UserXpStats
        WHEN (OLD.HasLeft = 0 OR NEW.HasLeft = 0)
         AND (OLD.HasLeft != NEW.HasLeft OR CAST(sqrt(max(OLD.Xp, 0)) AS INTEGER) != CAST(sqrt(max(NEW.Xp, 0)) AS INTEGER))
      BEGIN
        UPDATE XpRankBucket SET Members = Members - 1
          WHERE OLD.HasLeft = 0 AND GuildId = OLD.GuildId AND Bucket = CAST(sqrt(max(OLD.Xp, 0)) AS INTEGER);
        INSERT INTO XpRankBucket (GuildId, Bucket, Members)
          SELECT NEW.GuildId, CAST(sqrt(max(NEW.Xp, 0)) AS INTEGER), 1 WHERE NEW.HasLeft = 0
          ON CONFLICT (GuildId, Bucket) DO UPDATE SET Members = Members + 1;
      END;
    `,
  },
  {
    version: 6,
    description: 'Multipliers in integer thousandths, so half-up rounding of gains is exact',
    sql: `
      -- A REAL cannot hold 0.7 or 1.5 × 0.7 exactly: 10 × 0.7 × 1.5 came out as 10.499999999999998 and earned 10
      -- instead of 11. Multipliers become whole thousandths (1.5 → 1500); the engine multiplies integers
      -- (DESIGN §2.6). Stored values are rounded to the nearest thousandth, which is what the commands accept.
      ALTER TABLE XpSettings ADD COLUMN XpRateMilli INTEGER NOT NULL DEFAULT 1000;
      UPDATE XpSettings SET XpRateMilli = CAST(round(max(XpRateMultiplier, 0) * 1000) AS INTEGER);
      ALTER TABLE XpSettings DROP COLUMN XpRateMultiplier;
      ALTER TABLE XpMultiplier ADD COLUMN Milli INTEGER NOT NULL DEFAULT 1000;
      UPDATE XpMultiplier SET Milli = CAST(round(max(Multiplier, 0) * 1000) AS INTEGER);
      ALTER TABLE XpMultiplier DROP COLUMN Multiplier;
    `,
  },
  {
    version: 7,
    description: 'Role-change queue: reward roles are applied until Discord confirms them',
    sql: `
      -- One row per (guild, member, role) the bot has decided to give or take and Discord has not confirmed yet
      -- (DESIGN §2.7). Written in the same transaction as the decision; a newer decision replaces the row (new Id).
      CREATE TABLE RoleChangeQueue (
        Id INTEGER PRIMARY KEY AUTOINCREMENT,
        GuildId INTEGER NOT NULL,
        UserId INTEGER NOT NULL,
        RoleId INTEGER NOT NULL,
        Action TEXT NOT NULL CHECK (Action IN ('add', 'remove')),
        Cause TEXT NOT NULL CHECK (Cause IN ('level', 'rejoin', 'sync')),
        State TEXT NOT NULL DEFAULT 'pending' CHECK (State IN ('pending', 'waiting', 'dropped')),
        Attempts INTEGER NOT NULL DEFAULT 0,
        NextAttemptAt INTEGER NOT NULL,
        Reason TEXT,
        CreatedAt INTEGER NOT NULL,
        UpdatedAt INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX UX_RoleChangeQueue_Key ON RoleChangeQueue (GuildId, UserId, RoleId);
      CREATE INDEX IX_RoleChangeQueue_Due ON RoleChangeQueue (NextAttemptAt) WHERE State != 'dropped';
      CREATE INDEX IX_RoleChangeQueue_Guild ON RoleChangeQueue (GuildId, State, UpdatedAt);
    `,
  },
  {
    version: 8,
    description: 'Shard claims (one process per shard on a database) and small facts about the bot process',
    sql: `
      -- Which process serves which shards, so a second process on the same token and database refuses to start
      -- instead of counting every message twice. One row per (shard count, shard id) a process serves; a holder
      -- refreshes ExpiresAt (wall-clock ms) by a heartbeat, deletes its rows on a clean shutdown, and a crashed
      -- holder's rows expire. Claims of different shard counts overlap when their guild sets intersect.
      CREATE TABLE ShardClaim (
        ShardCount INTEGER NOT NULL,
        ShardId INTEGER NOT NULL,
        HolderId TEXT NOT NULL,
        Host TEXT NOT NULL,
        Pid INTEGER NOT NULL,
        ClaimedAt INTEGER NOT NULL,
        ExpiresAt INTEGER NOT NULL,
        PRIMARY KEY (ShardCount, ShardId)
      ) WITHOUT ROWID;
      -- Facts the bot keeps about itself between runs, by key (e.g. the server holding its dev-guild commands).
      CREATE TABLE BotState (
        Key TEXT NOT NULL PRIMARY KEY,
        Value TEXT NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 9,
    description: 'Import ledger: Nadeko clubs keyed by their exact name; the XP each other bot brought in',
    sql: `
      -- Two Nadeko clubs whose names differ only by letter case are two clubs: the ledger keys them by the exact
      -- Nadeko name (it ignored case before, which merged them).
      CREATE TABLE NadekoImportClubByName (
        Name TEXT NOT NULL PRIMARY KEY,
        ClubId INTEGER NOT NULL,
        Xp INTEGER NOT NULL
      ) WITHOUT ROWID;
      INSERT INTO NadekoImportClubByName (Name, ClubId, Xp) SELECT Name, ClubId, Xp FROM NadekoImportClub;
      DROP TABLE NadekoImportClub;
      ALTER TABLE NadekoImportClubByName RENAME TO NadekoImportClub;

      -- Imports from other bots (MEE6, Polaris, LevelUp, Lurkr, Amari, CSV): per source and (guild, member), the
      -- XP the last run brought in; a re-run adds only the difference, like the Nadeko ledger (DESIGN §8).
      CREATE TABLE ImportXp (
        Source TEXT NOT NULL,
        GuildId INTEGER NOT NULL,
        UserId INTEGER NOT NULL,
        Xp INTEGER NOT NULL,
        PRIMARY KEY (Source, GuildId, UserId)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 10,
    description: "Card accent colours: a member's own choice, a server's default",
    sql: `
      -- '#rrggbb' or NULL (none: the server's default, then the template's colours). A member's accent is theirs in
      -- every server, like their background; a server's default applies to members without one (DESIGN §4.2).
      ALTER TABLE DiscordUser ADD COLUMN CardAccent TEXT;
      ALTER TABLE XpSettings ADD COLUMN CardAccent TEXT;
    `,
  },
  {
    version: 11,
    description: 'Per-channel XP: a channel or category with its own XP per message and cooldown',
    sql: `
      -- Nadeko's \`.xprate #channel <amount> <cooldown>\` (DESIGN §2.1): XP per counted message in that channel (or
      -- the channels of that category, or a thread's parent) instead of the server's; 0 excludes the channel. A
      -- NULL cooldown keeps the server's.
      CREATE TABLE XpChannelRate (
        GuildId INTEGER NOT NULL,
        ChannelId INTEGER NOT NULL,
        XpPerMessage INTEGER NOT NULL CHECK (XpPerMessage BETWEEN 0 AND 1000),
        CooldownSeconds INTEGER CHECK (CooldownSeconds BETWEEN 0 AND 86400),
        PRIMARY KEY (GuildId, ChannelId)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 12,
    description: 'Anti-spam rules of message XP: minimum length, similarity to the previous message',
    sql: `
      -- DESIGN §2.1.2. 0 turns each rule off (the default). Nadeko's built-in minimum length is 5.
      ALTER TABLE XpSettings ADD COLUMN AntispamMinLength INTEGER NOT NULL DEFAULT 0 CHECK (AntispamMinLength BETWEEN 0 AND 100);
      ALTER TABLE XpSettings ADD COLUMN AntispamSimilarity INTEGER NOT NULL DEFAULT 0
        CHECK (AntispamSimilarity = 0 OR AntispamSimilarity BETWEEN 50 AND 100);
    `,
  },
  {
    version: 13,
    description: 'Voice rules: whether muted members earn, the share of a stage audience',
    sql: `
      -- DESIGN §2.3. Muted members earned before this migration, so the default keeps that.
      ALTER TABLE XpSettings ADD COLUMN VoiceMutedEarn INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE XpSettings ADD COLUMN StageAudiencePercent INTEGER NOT NULL DEFAULT 0 CHECK (StageAudiencePercent BETWEEN 0 AND 100);
    `,
  },
  {
    version: 14,
    description: 'Reward modes: stack or replace per role reward and a server default (DESIGN §2.4.1); curve presets (DESIGN §1)',
    sql: `
      -- NULL: the reward follows the server's mode.
      ALTER TABLE XpRoleReward ADD COLUMN Mode TEXT CHECK (Mode IN ('stack', 'replace'));
      ALTER TABLE XpSettings ADD COLUMN RewardMode TEXT NOT NULL DEFAULT 'stack' CHECK (RewardMode IN ('stack', 'replace'));
      -- Quadratic growth of a level's cost (MEE6's preset: 5L² + 50L + 100 is CurveQ 5, CurveA 50, CurveC 50).
      ALTER TABLE XpSettings ADD COLUMN CurveQ INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 15,
    description: 'Passes over a server that survive restarts: role sync, re-levelling after a curve change (DESIGN §2.7.1)',
    sql: `
      CREATE TABLE GuildJob (
        GuildId INTEGER NOT NULL,
        Kind TEXT NOT NULL CHECK (Kind IN ('rolesync', 'relevel')),
        -- The last member id done; 0 before the first.
        Cursor INTEGER NOT NULL DEFAULT 0,
        Total INTEGER NOT NULL DEFAULT 0,
        Checked INTEGER NOT NULL DEFAULT 0,
        Changed INTEGER NOT NULL DEFAULT 0,
        Queued INTEGER NOT NULL DEFAULT 0,
        ChannelId INTEGER NOT NULL,
        StartedBy INTEGER NOT NULL,
        StartedAt INTEGER NOT NULL,
        UpdatedAt INTEGER NOT NULL,
        Data TEXT NOT NULL DEFAULT 'null',
        PRIMARY KEY (GuildId, Kind)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 16,
    description: 'Level-up messages as admins design them: plain text or an embed (title, footer, colour, avatar)',
    sql: `
      ALTER TABLE XpSettings ADD COLUMN AnnounceStyle TEXT NOT NULL DEFAULT 'text' CHECK (AnnounceStyle IN ('text', 'embed'));
      ALTER TABLE XpSettings ADD COLUMN AnnounceTitle TEXT;
      ALTER TABLE XpSettings ADD COLUMN AnnounceFooter TEXT;
      ALTER TABLE XpSettings ADD COLUMN AnnounceColor INTEGER;
      ALTER TABLE XpSettings ADD COLUMN AnnounceThumbnail INTEGER NOT NULL DEFAULT 1;
    `,
  },
  {
    version: 17,
    description: 'Privacy: erasures other processes must honour before their next flush',
    sql: `
      -- One row per erasure (a member everywhere, a member in one server, or a whole server; DESIGN §13). Each engine
      -- forgets its cached totals at its next flush, and a flush drops the rows of erasures its engine had not
      -- applied yet, so XP buffered anywhere before the erasure never comes back. Rows are pruned after a day: far
      -- longer than the longest flush interval (1 h).
      CREATE TABLE PrivacyErasure (
        Id INTEGER PRIMARY KEY AUTOINCREMENT,
        UserId INTEGER,
        GuildId INTEGER,
        ErasedAt INTEGER NOT NULL,
        CHECK (UserId IS NOT NULL OR GuildId IS NOT NULL)
      );
    `,
  },
  {
    version: 18,
    description: 'Members who opted out of XP tracking in a server',
    sql: `
      -- A member's objection to being tracked in one server (\`level optout\`, DESIGN §13): nothing new is stored about
      -- them there while the row exists.
      CREATE TABLE XpOptOut (
        GuildId INTEGER NOT NULL,
        UserId INTEGER NOT NULL,
        OptedOutAt INTEGER NOT NULL,
        PRIMARY KEY (GuildId, UserId)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 19,
    description: 'Retention: when a member left a server, and how many days a server keeps their data after',
    sql: `
      -- Set when a member leaves, cleared when they come back (DESIGN §13). Rows marked as left before this column
      -- existed get the time of the first retention sweep that sees them: their period starts then.
      ALTER TABLE UserXpStats ADD COLUMN LeftAt INTEGER;
      CREATE INDEX IX_UserXpStats_Left ON UserXpStats (GuildId, LeftAt) WHERE HasLeft = 1;
      -- NULL: the data of members who left is kept (the default).
      ALTER TABLE XpSettings ADD COLUMN RetentionDays INTEGER CHECK (RetentionDays IS NULL OR RetentionDays BETWEEN 1 AND 3650);
    `,
  },
  {
    version: 20,
    description: 'The web side: public servers, member profiles and privacy, API keys, webhooks and their outbox',
    sql: `
      -- A server on the web (DESIGN §14.2): listed only while Public = 1; a readable Slug for /g/<slug>. Name and
      -- icon are a copy the Discord layer keeps fresh, so a page never asks Discord.
      CREATE TABLE WebGuild (
        GuildId INTEGER PRIMARY KEY,
        Public INTEGER NOT NULL DEFAULT 0,
        Slug TEXT COLLATE NOCASE UNIQUE,
        Name TEXT NOT NULL DEFAULT '',
        IconUrl TEXT,
        UpdatedAt INTEGER NOT NULL
      );
      -- Names and colours of a server's roles, for the reward roles shown on its page.
      CREATE TABLE WebRole (
        GuildId INTEGER NOT NULL,
        RoleId INTEGER NOT NULL,
        Name TEXT NOT NULL,
        Color INTEGER NOT NULL,
        PRIMARY KEY (GuildId, RoleId)
      ) WITHOUT ROWID;
      -- How a member looks in a server (display name, avatar), written when it changes; NameKey is the name folded
      -- for search.
      CREATE TABLE MemberProfile (
        GuildId INTEGER NOT NULL,
        UserId INTEGER NOT NULL,
        Name TEXT NOT NULL,
        NameKey TEXT NOT NULL,
        AvatarUrl TEXT,
        UpdatedAt INTEGER NOT NULL,
        PRIMARY KEY (GuildId, UserId)
      ) WITHOUT ROWID;
      -- Members who hid their name and avatar on the web (level privacy hide): everywhere, not per server.
      CREATE TABLE WebHiddenMember (UserId INTEGER PRIMARY KEY, HiddenAt INTEGER NOT NULL);
      -- Per-server API keys, stored as SHA-256 of the key (the key itself is shown once); Hint is its first
      -- characters, so an admin can tell keys apart.
      CREATE TABLE WebApiKey (
        Id INTEGER PRIMARY KEY AUTOINCREMENT,
        GuildId INTEGER NOT NULL,
        Hash TEXT NOT NULL UNIQUE,
        Hint TEXT NOT NULL,
        CreatedById INTEGER NOT NULL,
        CreatedAt INTEGER NOT NULL
      );
      CREATE INDEX IX_WebApiKey_Guild ON WebApiKey (GuildId);
      CREATE TABLE Webhook (
        Id INTEGER PRIMARY KEY AUTOINCREMENT,
        GuildId INTEGER NOT NULL,
        Url TEXT NOT NULL,
        Secret TEXT NOT NULL,
        -- Comma-separated event names it receives.
        Events TEXT NOT NULL,
        CreatedAt INTEGER NOT NULL
      );
      CREATE INDEX IX_Webhook_Guild ON Webhook (GuildId);
      -- Deliveries not confirmed yet (DESIGN §14.4), written in the same transaction as the event they report; a
      -- delivery answered 2xx is deleted, one still failing a day after its event is dropped with a log entry.
      -- GuildId and UserId (null for a server-wide event) say whom it is about, for exports and erasures.
      CREATE TABLE WebhookOutbox (
        Id INTEGER PRIMARY KEY AUTOINCREMENT,
        WebhookId INTEGER NOT NULL REFERENCES Webhook (Id) ON DELETE CASCADE,
        GuildId INTEGER NOT NULL,
        UserId INTEGER,
        EventId TEXT NOT NULL,
        Event TEXT NOT NULL,
        Payload TEXT NOT NULL,
        CreatedAt INTEGER NOT NULL,
        Attempts INTEGER NOT NULL DEFAULT 0,
        NextAttemptAt INTEGER NOT NULL,
        LastError TEXT,
        UNIQUE (WebhookId, EventId)
      );
      CREATE INDEX IX_WebhookOutbox_Due ON WebhookOutbox (NextAttemptAt);
    `,
  },
  {
    version: 21,
    description: 'Per-level level-up messages',
    sql: `
      -- A special level-up text for reaching one level (\`levelup level <n> <text>\`, DESIGN §2.4.3), used instead of
      -- the server's text; when one flush crosses several levels, the highest crossed level with a text wins.
      CREATE TABLE XpLevelUpMessage (
        GuildId INTEGER NOT NULL,
        Level INTEGER NOT NULL CHECK (Level BETWEEN 1 AND 100000),
        Template TEXT NOT NULL,
        PRIMARY KEY (GuildId, Level)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 22,
    description: 'The level-up card image in level-up messages',
    sql: `
      -- The level-up message carries the member's XP card under a "level up" banner (\`levelup card\`, DESIGN §4.1).
      ALTER TABLE XpSettings ADD COLUMN AnnounceCard INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 23,
    description: 'XP history per (guild, member, UTC day, source), folded into months after a retention; opening rows',
    sql: `
      -- Every flush adds its gains here too, in the same transaction as the totals (DESIGN §15.1), so a member's
      -- history sums to their total. Source codes: 0 opening, 1 message, 2 voice, 3 admin, 4 import, 5 decay,
      -- 6 event bonus (src/engine/history.ts). Day = days since the Unix epoch, UTC. The key starts with the day,
      -- so a flush's rows (today's) sit together at the end of the guild's range instead of all over the tree.
      CREATE TABLE XpHistoryDaily (
        GuildId INTEGER NOT NULL,
        Day INTEGER NOT NULL,
        UserId INTEGER NOT NULL,
        Source INTEGER NOT NULL CHECK (Source BETWEEN 0 AND 6),
        Xp INTEGER NOT NULL,
        PRIMARY KEY (GuildId, Day, UserId, Source)
      ) WITHOUT ROWID;
      -- Daily rows older than a guild's retention, summed per UTC month (months since January 1970).
      CREATE TABLE XpHistoryMonthly (
        GuildId INTEGER NOT NULL,
        Month INTEGER NOT NULL,
        UserId INTEGER NOT NULL,
        Source INTEGER NOT NULL CHECK (Source BETWEEN 0 AND 6),
        Xp INTEGER NOT NULL,
        PRIMARY KEY (GuildId, Month, UserId, Source)
      ) WITHOUT ROWID;
      -- XP that existed before history: one opening row per member, on the day of this migration.
      INSERT INTO XpHistoryDaily (GuildId, Day, UserId, Source, Xp)
        SELECT GuildId, CAST(unixepoch() / 86400 AS INTEGER), UserId, 0, Xp FROM UserXpStats WHERE Xp != 0;
      -- 0 keeps daily rows forever; otherwise days older than this many are folded into months.
      ALTER TABLE XpSettings ADD COLUMN HistoryRetentionDays INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 24,
    description: 'Period boards: running XP totals per week, month and season, with rank buckets; server time zone and week start',
    sql: `
      -- Per (guild, member, period) the XP earned in it (message, voice, admin, event bonus), added by the flush in
      -- the same transaction as the totals (DESIGN §15.2), so a period board is a page of an index and never a sum
      -- over days. Period = kind · 10 000 000 + value: week (1) by the civil day number of its first local day,
      -- month (2) by months since January 1970 in the server's zone, season (3) by season id. HasLeft mirrors
      -- UserXpStats.HasLeft (members who left are hidden, as on the all-time board).
      CREATE TABLE XpPeriodTotal (
        GuildId INTEGER NOT NULL,
        UserId INTEGER NOT NULL,
        Period INTEGER NOT NULL,
        Xp INTEGER NOT NULL,
        HasLeft INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (GuildId, UserId, Period)
      ) WITHOUT ROWID;
      CREATE INDEX IX_XpPeriodTotal_Board ON XpPeriodTotal (GuildId, Period, Xp DESC, UserId) WHERE HasLeft = 0;
      -- Members per floor(sqrt(Xp)) per period, kept by triggers: a period rank is O(sqrt XP) (see migration 5).
      CREATE TABLE XpPeriodRankBucket (
        GuildId INTEGER NOT NULL,
        Period INTEGER NOT NULL,
        Bucket INTEGER NOT NULL,
        Members INTEGER NOT NULL,
        PRIMARY KEY (GuildId, Period, Bucket)
      ) WITHOUT ROWID;
      CREATE TRIGGER TR_XpPeriodTotal_Insert AFTER INSERT ON XpPeriodTotal WHEN NEW.HasLeft = 0 BEGIN
        INSERT INTO XpPeriodRankBucket (GuildId, Period, Bucket, Members)
          VALUES (NEW.GuildId, NEW.Period, CAST(sqrt(max(NEW.Xp, 0)) AS INTEGER), 1)
          ON CONFLICT (GuildId, Period, Bucket) DO UPDATE SET Members = Members + 1;
      END;
      CREATE TRIGGER TR_XpPeriodTotal_Delete AFTER DELETE ON XpPeriodTotal WHEN OLD.HasLeft = 0 BEGIN
        UPDATE XpPeriodRankBucket SET Members = Members - 1
          WHERE GuildId = OLD.GuildId AND Period = OLD.Period AND Bucket = CAST(sqrt(max(OLD.Xp, 0)) AS INTEGER);
      END;
      CREATE TRIGGER TR_XpPeriodTotal_Update AFTER UPDATE OF Xp, HasLeft ON XpPeriodTotal
        WHEN (OLD.HasLeft = 0 OR NEW.HasLeft = 0)
         AND (OLD.HasLeft != NEW.HasLeft OR CAST(sqrt(max(OLD.Xp, 0)) AS INTEGER) != CAST(sqrt(max(NEW.Xp, 0)) AS INTEGER))
      BEGIN
        UPDATE XpPeriodRankBucket SET Members = Members - 1
          WHERE OLD.HasLeft = 0 AND GuildId = OLD.GuildId AND Period = OLD.Period AND Bucket = CAST(sqrt(max(OLD.Xp, 0)) AS INTEGER);
        INSERT INTO XpPeriodRankBucket (GuildId, Period, Bucket, Members)
          SELECT NEW.GuildId, NEW.Period, CAST(sqrt(max(NEW.Xp, 0)) AS INTEGER), 1 WHERE NEW.HasLeft = 0
          ON CONFLICT (GuildId, Period, Bucket) DO UPDATE SET Members = Members + 1;
      END;
      -- Weeks and months follow the server's IANA time zone; weeks start on WeekStart (0 = Sunday … 6 = Saturday).
      ALTER TABLE XpSettings ADD COLUMN TimeZone TEXT NOT NULL DEFAULT 'UTC';
      ALTER TABLE XpSettings ADD COLUMN WeekStart INTEGER NOT NULL DEFAULT 1;

      -- Seasons (DESIGN §15.3): a view over the period totals of period id 3·10 000 000 + Id. Number counts a
      -- guild's seasons from 1. EndsAt is wall-clock ms (a rollover season gets the end of its week or month).
      CREATE TABLE XpSeason (
        Id INTEGER PRIMARY KEY AUTOINCREMENT,
        GuildId INTEGER NOT NULL,
        Number INTEGER NOT NULL,
        Name TEXT NOT NULL,
        StartsAt INTEGER NOT NULL,
        EndsAt INTEGER NOT NULL,
        Rollover TEXT NOT NULL DEFAULT 'none' CHECK (Rollover IN ('none', 'weekly', 'monthly')),
        WinnerCount INTEGER NOT NULL DEFAULT 0,
        WinnerRoleId INTEGER,
        ResetLevels INTEGER NOT NULL DEFAULT 0,
        State TEXT NOT NULL DEFAULT 'running' CHECK (State IN ('running', 'closed')),
        ClosedAt INTEGER,
        UNIQUE (GuildId, Number)
      );
      CREATE INDEX IX_XpSeason_Running ON XpSeason (GuildId) WHERE State = 'running';
    `,
  },
  {
    version: 25,
    description: 'Timed XP events with their channel and role limits and announcement marks',
    sql: `
      -- A timed XP event (DESIGN §15.5): every gain in [StartsAt, EndsAt) (wall-clock ms) where it applies earns
      -- Milli/1000 times as much. A cancel moves EndsAt to the moment of the cancel. StartAnnounced and
      -- EndAnnounced are set (compare-and-set) before the announcement is sent, so no restart and no second
      -- process announces one twice; an event whose end is announced is over and no longer loaded.
      CREATE TABLE XpEvent (
        Id INTEGER PRIMARY KEY AUTOINCREMENT,
        GuildId INTEGER NOT NULL,
        Milli INTEGER NOT NULL CHECK (Milli > 1000),
        StartsAt INTEGER NOT NULL,
        EndsAt INTEGER NOT NULL,
        AnnounceChannelId INTEGER,
        CreatedAt INTEGER NOT NULL,
        CancelledAt INTEGER,
        StartAnnounced INTEGER NOT NULL DEFAULT 0,
        EndAnnounced INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX IX_XpEvent_Open ON XpEvent (GuildId) WHERE EndAnnounced = 0;
      -- The channels (or categories) and roles an event is limited to; none = everywhere, everyone.
      CREATE TABLE XpEventScope (
        EventId INTEGER NOT NULL REFERENCES XpEvent (Id) ON DELETE CASCADE,
        GuildId INTEGER NOT NULL,
        ItemType TEXT NOT NULL CHECK (ItemType IN ('channel', 'role')),
        ItemId INTEGER NOT NULL,
        PRIMARY KEY (EventId, ItemType, ItemId)
      ) WITHOUT ROWID;
      CREATE INDEX IX_XpEventScope_Guild ON XpEventScope (GuildId);
    `,
  },
  {
    version: 26,
    description: 'Seasons close in steps that survive restarts, with archived standings and winner roles (cause season)',
    sql: `
      -- A season closes in steps (DESIGN §15.3), each one transaction, so a restart continues where it stopped:
      -- running → closing (the engine stops counting into it; a rollover season's successor starts) → archived
      -- (every member's final standing written) → rolesqueued (winner roles and the season_closed event queued) →
      -- closed. cancelled: ended by an admin without standings or winners. SQLite cannot change a CHECK in place,
      -- so the table is rebuilt with its ids and its AUTOINCREMENT counter.
      CREATE TABLE XpSeason_New (
        Id INTEGER PRIMARY KEY AUTOINCREMENT,
        GuildId INTEGER NOT NULL,
        Number INTEGER NOT NULL,
        Name TEXT NOT NULL,
        StartsAt INTEGER NOT NULL,
        EndsAt INTEGER NOT NULL,
        Rollover TEXT NOT NULL DEFAULT 'none' CHECK (Rollover IN ('none', 'weekly', 'monthly')),
        WinnerCount INTEGER NOT NULL DEFAULT 0,
        WinnerRoleId INTEGER,
        ResetLevels INTEGER NOT NULL DEFAULT 0,
        State TEXT NOT NULL DEFAULT 'running'
          CHECK (State IN ('running', 'closing', 'archived', 'rolesqueued', 'closed', 'cancelled')),
        ClosedAt INTEGER,
        -- Where the season was started from (its close is announced there) and by whom.
        ChannelId INTEGER,
        StartedBy INTEGER,
        -- The archive's cursor: members ranked so far and the last one's (Xp, UserId), in board order.
        Ranked INTEGER NOT NULL DEFAULT 0,
        CursorXp INTEGER,
        CursorUser INTEGER,
        -- Archived members who had left the server (kept with their total, unranked) and the season's XP.
        LeftMembers INTEGER NOT NULL DEFAULT 0,
        TotalXp INTEGER NOT NULL DEFAULT 0,
        -- The reset of levels at the season's end: the last member id done.
        ResetCursor INTEGER NOT NULL DEFAULT 0,
        -- The process closing the season and until when (wall ms): one closer at a time, taken over after it.
        ClosedBy TEXT,
        LeaseUntil INTEGER,
        UNIQUE (GuildId, Number)
      );
      INSERT INTO XpSeason_New (Id, GuildId, Number, Name, StartsAt, EndsAt, Rollover, WinnerCount, WinnerRoleId, ResetLevels, State, ClosedAt)
        SELECT Id, GuildId, Number, Name, StartsAt, EndsAt, Rollover, WinnerCount, WinnerRoleId, ResetLevels, State, ClosedAt FROM XpSeason;
      DELETE FROM sqlite_sequence WHERE name = 'XpSeason_New';
      INSERT INTO sqlite_sequence (name, seq) SELECT 'XpSeason_New', seq FROM sqlite_sequence WHERE name = 'XpSeason';
      DROP TABLE XpSeason;
      ALTER TABLE XpSeason_New RENAME TO XpSeason;
      CREATE INDEX IX_XpSeason_Running ON XpSeason (GuildId) WHERE State = 'running';
      CREATE INDEX IX_XpSeason_Open ON XpSeason (State, EndsAt) WHERE State NOT IN ('closed', 'cancelled');

      -- A closed season's final standings: every member with XP in it, ranked in the board's order (XP descending,
      -- then user id) among those still in the server; a member who had left keeps their total with no rank.
      CREATE TABLE XpSeasonStanding (
        GuildId INTEGER NOT NULL,
        SeasonId INTEGER NOT NULL,
        UserId INTEGER NOT NULL,
        Xp INTEGER NOT NULL,
        Rank INTEGER,
        PRIMARY KEY (GuildId, SeasonId, UserId)
      ) WITHOUT ROWID;
      CREATE UNIQUE INDEX UX_XpSeasonStanding_Rank ON XpSeasonStanding (GuildId, SeasonId, Rank) WHERE Rank IS NOT NULL;

      -- Winner roles go through the role-change queue with their own cause (DESIGN §2.7); rebuilt for the CHECK.
      CREATE TABLE RoleChangeQueue_New (
        Id INTEGER PRIMARY KEY AUTOINCREMENT,
        GuildId INTEGER NOT NULL,
        UserId INTEGER NOT NULL,
        RoleId INTEGER NOT NULL,
        Action TEXT NOT NULL CHECK (Action IN ('add', 'remove')),
        Cause TEXT NOT NULL CHECK (Cause IN ('level', 'rejoin', 'sync', 'season')),
        State TEXT NOT NULL DEFAULT 'pending' CHECK (State IN ('pending', 'waiting', 'dropped')),
        Attempts INTEGER NOT NULL DEFAULT 0,
        NextAttemptAt INTEGER NOT NULL,
        Reason TEXT,
        CreatedAt INTEGER NOT NULL,
        UpdatedAt INTEGER NOT NULL
      );
      INSERT INTO RoleChangeQueue_New SELECT Id, GuildId, UserId, RoleId, Action, Cause, State, Attempts, NextAttemptAt, Reason, CreatedAt, UpdatedAt
        FROM RoleChangeQueue;
      DELETE FROM sqlite_sequence WHERE name = 'RoleChangeQueue_New';
      INSERT INTO sqlite_sequence (name, seq) SELECT 'RoleChangeQueue_New', seq FROM sqlite_sequence WHERE name = 'RoleChangeQueue';
      DROP TABLE RoleChangeQueue;
      ALTER TABLE RoleChangeQueue_New RENAME TO RoleChangeQueue;
      CREATE UNIQUE INDEX UX_RoleChangeQueue_Key ON RoleChangeQueue (GuildId, UserId, RoleId);
      CREATE INDEX IX_RoleChangeQueue_Due ON RoleChangeQueue (NextAttemptAt) WHERE State != 'dropped';
      CREATE INDEX IX_RoleChangeQueue_Guild ON RoleChangeQueue (GuildId, State, UpdatedAt);
    `,
  },
  {
    version: 27,
    description: 'XP decay: the policy, exempt roles, each member\'s last day of earning, and the daily run per server',
    sql: `
      -- The decay policy (DESIGN §15.4): after DecayAfterDays days without earning XP a member loses DecayAmount
      -- (percent or XP) per day or week, never below DecayFloorLevel. DecaySinceDay: the UTC day it was turned on
      -- (members with no LastEarnedDay count as inactive from then).
      ALTER TABLE XpSettings ADD COLUMN DecayEnabled INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE XpSettings ADD COLUMN DecayAfterDays INTEGER NOT NULL DEFAULT 30;
      ALTER TABLE XpSettings ADD COLUMN DecayAmount INTEGER NOT NULL DEFAULT 5;
      ALTER TABLE XpSettings ADD COLUMN DecayUnit TEXT NOT NULL DEFAULT 'percent' CHECK (DecayUnit IN ('percent', 'xp'));
      ALTER TABLE XpSettings ADD COLUMN DecayPer TEXT NOT NULL DEFAULT 'week' CHECK (DecayPer IN ('day', 'week'));
      ALTER TABLE XpSettings ADD COLUMN DecayFloorLevel INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE XpSettings ADD COLUMN DecaySinceDay INTEGER;
      -- The last UTC day the member earned XP (message, voice, event bonus), kept by the flush in the same upsert
      -- as the total; filled here from the history kept so far (NULL where it holds no earning).
      ALTER TABLE UserXpStats ADD COLUMN LastEarnedDay INTEGER;
      UPDATE UserXpStats SET LastEarnedDay = l.Day
        FROM (SELECT GuildId, UserId, MAX(Day) AS Day FROM XpHistoryDaily WHERE Source IN (1, 2, 6) GROUP BY GuildId, UserId) AS l
        WHERE l.GuildId = UserXpStats.GuildId AND l.UserId = UserXpStats.UserId;
      -- Members holding one of these roles never decay.
      CREATE TABLE XpDecayExemptRole (
        GuildId INTEGER NOT NULL,
        RoleId INTEGER NOT NULL,
        PRIMARY KEY (GuildId, RoleId)
      ) WITHOUT ROWID;
      -- The daily run per server: DoneDay is the last UTC day whose run finished; RunDay the day of the run under
      -- way (claimed by one process), Cursor the last member id done in it. A chunk's XP changes and the cursor
      -- past it are one transaction, so a run cut short continues where it was and never decays a member twice.
      CREATE TABLE XpDecayRun (
        GuildId INTEGER PRIMARY KEY,
        DoneDay INTEGER,
        RunDay INTEGER,
        Cursor INTEGER NOT NULL DEFAULT 0,
        Decayed INTEGER NOT NULL DEFAULT 0,
        XpLost INTEGER NOT NULL DEFAULT 0,
        UpdatedAt INTEGER NOT NULL DEFAULT 0
      );
    `,
  },
  {
    version: 28,
    description: 'Period totals on the member row (current and previous week, month and season); board generations',
    sql: `
      -- DESIGN §15.2: the member's newest week, month and season with XP and the one before each, on their row, which
      -- the flush rewrites anyway; a board's order is kept in memory by the process that reads it (src/boards),
      -- checked against XpBoardGeneration. A row of its own per period, with a board index, made a flush with
      -- history 2.8 times the flush without it (docs/PERFORMANCE.md, history).
      ${slotColumnsSql('INTEGER', 'INTEGER')}
      ${backfillSlotsSql}
      DROP TABLE XpPeriodTotal;
      DROP TABLE XpPeriodRankBucket;
      -- Counts every committed change of a server's period boards (a flush with period XP, a member leaving or coming
      -- back): a board held in memory is current while this number is the one it was built or last updated at.
      CREATE TABLE XpBoardGeneration (GuildId INTEGER PRIMARY KEY, Gen INTEGER NOT NULL);
    `,
  },
];

export const LATEST_SCHEMA_VERSION = migrations[migrations.length - 1]!.version;
