/**
 * NadekoBot-shaped databases of three schema generations, as EF Core created them (table and column names,
 * types, nullability). Sources: Nadeko's SQLite migrations and models — the 2026 "init" migration for v7
 * (XpSettings.GuildId + XpFormulaA/C, XpExcludedItem, Notify with a nullable ChannelId, XpShopOwnedItem, Clubs
 * with BannerUrl, GuildXpConfig/ChannelXpConfig with RateType and a REAL cooldown in minutes) and its
 * "user-notify-string-key" migration (UserNotifyBlock(UserId, Type)); Nadeko 6.0's migrations and model snapshot
 * (the Jan 2025 "cleanup": XpSettings.GuildId next to GuildConfigId, XpSettings.ServerExcluded, old
 * ExcludedItem(XpSettingsId, ItemId, ItemType); "xp-excl-xp-rate": GuildXpConfig keyed by GuildId with an INTEGER
 * cooldown and ChannelXpConfig without RateType; DiscordUser.NotifyOnLevelUp), and the 2017 migrations for
 * UserXpStats with AwardedXp.
 *
 * Ids are written as BigInt, and the fixture ids are above 2^53 on purpose.
 */
import Database from 'better-sqlite3';

export const G1 = '1234567890123456789';
export const G2 = '9223372036854775807'; // 2^63 - 1, the largest snowflake SQLite can hold
export const U1 = '9223372036854775806';
export const U2 = '1234567890123456788';
export const U3 = '9007199254740993'; // 2^53 + 1: not representable as a JS number
export const U4 = '1111111111111111111';
export const ROLE1 = '2222222222222222222';
export const ROLE2 = '2222222222222222223';
export const CH1 = '3333333333333333333';
export const CH2 = '3333333333333333334';
export const CH3 = '3333333333333333335';

type Db = Database.Database;
const b = (id: string) => BigInt(id);

const DISCORD_USER_V7 = `CREATE TABLE "DiscordUser" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_DiscordUser" PRIMARY KEY AUTOINCREMENT,
    "UserId" INTEGER NOT NULL, "Username" TEXT NULL, "AvatarId" TEXT NULL, "ClubId" INTEGER NULL,
    "IsClubAdmin" INTEGER NOT NULL DEFAULT 0, "TotalXp" INTEGER NOT NULL DEFAULT 0,
    "CurrencyAmount" INTEGER NOT NULL DEFAULT 0, "DateAdded" TEXT NULL,
    CONSTRAINT "AK_DiscordUser_UserId" UNIQUE ("UserId"))`;

const CLUB_LINKS = `
  CREATE TABLE "ClubApplicants" ("ClubId" INTEGER NOT NULL, "UserId" INTEGER NOT NULL,
    CONSTRAINT "PK_ClubApplicants" PRIMARY KEY ("ClubId", "UserId"));
  CREATE TABLE "ClubBans" ("ClubId" INTEGER NOT NULL, "UserId" INTEGER NOT NULL,
    CONSTRAINT "PK_ClubBans" PRIMARY KEY ("ClubId", "UserId"));
  CREATE TABLE "__EFMigrationsHistory" ("MigrationId" TEXT NOT NULL CONSTRAINT "PK___EFMigrationsHistory" PRIMARY KEY, "ProductVersion" TEXT NOT NULL);`;

/** Nadeko 7: XpSettings.GuildId with formula columns, XpExcludedItem (0 = user, 1 = role), Notify, shop, clubs. */
export function createV7(path: string): void {
  const db = new Database(path);
  db.exec(`
    CREATE TABLE "GuildConfigs" ("Id" INTEGER NOT NULL CONSTRAINT "PK_GuildConfigs" PRIMARY KEY AUTOINCREMENT,
      "GuildId" INTEGER NOT NULL, "Prefix" TEXT NULL, "DateAdded" TEXT NULL);
    CREATE TABLE "UserXpStats" ("Id" INTEGER NOT NULL CONSTRAINT "PK_UserXpStats" PRIMARY KEY AUTOINCREMENT,
      "UserId" INTEGER NOT NULL, "GuildId" INTEGER NOT NULL, "Xp" INTEGER NOT NULL, "DateAdded" TEXT NULL);
    CREATE UNIQUE INDEX "IX_UserXpStats_UserId_GuildId" ON "UserXpStats" ("UserId", "GuildId");
    CREATE TABLE "XpSettings" ("Id" INTEGER NOT NULL CONSTRAINT "PK_XpSettings" PRIMARY KEY AUTOINCREMENT,
      "GuildId" INTEGER NOT NULL, "XpFormulaA" INTEGER NOT NULL, "XpFormulaC" INTEGER NOT NULL, "DateAdded" TEXT NULL);
    CREATE TABLE "XpExcludedItem" ("Id" INTEGER NOT NULL CONSTRAINT "PK_XpExcludedItem" PRIMARY KEY AUTOINCREMENT,
      "GuildId" INTEGER NOT NULL, "ItemType" INTEGER NOT NULL, "ItemId" INTEGER NOT NULL,
      CONSTRAINT "AK_XpExcludedItem_GuildId_ItemType_ItemId" UNIQUE ("GuildId", "ItemType", "ItemId"));
    CREATE TABLE "XpRoleReward" ("Id" INTEGER NOT NULL CONSTRAINT "PK_XpRoleReward" PRIMARY KEY AUTOINCREMENT,
      "XpSettingsId" INTEGER NOT NULL, "Level" INTEGER NOT NULL, "RoleId" INTEGER NOT NULL, "Remove" INTEGER NOT NULL, "DateAdded" TEXT NULL);
    CREATE TABLE "XpCurrencyReward" ("Id" INTEGER NOT NULL CONSTRAINT "PK_XpCurrencyReward" PRIMARY KEY AUTOINCREMENT,
      "XpSettingsId" INTEGER NOT NULL, "Level" INTEGER NOT NULL, "Amount" INTEGER NOT NULL, "DateAdded" TEXT NULL);
    CREATE TABLE "XpShopOwnedItem" ("Id" INTEGER NOT NULL CONSTRAINT "PK_XpShopOwnedItem" PRIMARY KEY AUTOINCREMENT,
      "UserId" INTEGER NOT NULL, "ItemType" INTEGER NOT NULL, "IsUsing" INTEGER NOT NULL, "ItemKey" TEXT NOT NULL, "DateAdded" TEXT NULL);
    CREATE TABLE "Notify" ("Id" INTEGER NOT NULL CONSTRAINT "PK_Notify" PRIMARY KEY AUTOINCREMENT,
      "GuildId" INTEGER NOT NULL, "ChannelId" INTEGER NULL, "Type" INTEGER NOT NULL, "Message" TEXT NOT NULL,
      CONSTRAINT "AK_Notify_GuildId_Type" UNIQUE ("GuildId", "Type"));
    CREATE TABLE "Clubs" ("Id" INTEGER NOT NULL CONSTRAINT "PK_Clubs" PRIMARY KEY AUTOINCREMENT,
      "Name" TEXT NULL, "Description" TEXT NULL, "ImageUrl" TEXT NULL, "BannerUrl" TEXT NULL, "Xp" INTEGER NOT NULL,
      "OwnerId" INTEGER NULL, "DateAdded" TEXT NULL);
    CREATE UNIQUE INDEX "IX_Clubs_Name" ON "Clubs" ("Name");
    CREATE TABLE "GuildXpConfig" ("Id" INTEGER NOT NULL CONSTRAINT "PK_GuildXpConfig" PRIMARY KEY AUTOINCREMENT,
      "GuildId" INTEGER NOT NULL, "RateType" INTEGER NOT NULL, "XpAmount" INTEGER NOT NULL, "Cooldown" REAL NOT NULL,
      "XpTemplateUrl" TEXT NULL, CONSTRAINT "AK_GuildXpConfig_GuildId_RateType" UNIQUE ("GuildId", "RateType"));
    CREATE TABLE "ChannelXpConfig" ("Id" INTEGER NOT NULL CONSTRAINT "PK_ChannelXpConfig" PRIMARY KEY AUTOINCREMENT,
      "RateType" INTEGER NOT NULL, "GuildId" INTEGER NOT NULL, "ChannelId" INTEGER NOT NULL, "XpAmount" INTEGER NOT NULL,
      "Cooldown" REAL NOT NULL, CONSTRAINT "AK_ChannelXpConfig_GuildId_ChannelId_RateType" UNIQUE ("GuildId", "ChannelId", "RateType"));
    CREATE TABLE "UserNotifyBlock" ("Id" INTEGER NOT NULL CONSTRAINT "PK_UserNotifyBlock" PRIMARY KEY AUTOINCREMENT,
      "UserId" INTEGER NOT NULL, "Type" TEXT NOT NULL);
    CREATE UNIQUE INDEX "IX_UserNotifyBlock_UserId_Type" ON "UserNotifyBlock" ("UserId", "Type");
    ${DISCORD_USER_V7};
    ${CLUB_LINKS}
    INSERT INTO "__EFMigrationsHistory" VALUES ('20260407082124_init', '9.0.1');
    INSERT INTO "__EFMigrationsHistory" VALUES ('20260414193207_user-notify-string-key', '9.0.1');
  `);
  const tx = db.transaction(() => {
    const xs = db.prepare('INSERT INTO XpSettings (Id, GuildId, XpFormulaA, XpFormulaC) VALUES (?, ?, ?, ?)');
    xs.run(1, b(G1), 9, 27);
    xs.run(2, b(G2), 20, 100); // a custom curve
    const xp = db.prepare('INSERT INTO UserXpStats (UserId, GuildId, Xp, DateAdded) VALUES (?, ?, ?, ?)');
    xp.run(b(U1), b(G1), 1000, '2024-01-01 00:00:00');
    xp.run(b(U2), b(G1), 35, null);
    xp.run(b(U3), b(G2), 5000, null);
    xp.run(b(U1), b(G2), 0, null);
    xp.run(-5n, b(G2), 10, null); // a broken row: not a snowflake
    const ex = db.prepare('INSERT INTO XpExcludedItem (GuildId, ItemType, ItemId) VALUES (?, ?, ?)');
    ex.run(b(G1), 0, b(U4)); // user
    ex.run(b(G1), 1, b(ROLE2)); // role
    ex.run(b(G2), 7, b(ROLE1)); // unknown type
    const rr = db.prepare('INSERT INTO XpRoleReward (XpSettingsId, Level, RoleId, Remove) VALUES (?, ?, ?, ?)');
    rr.run(1, 5, b(ROLE1), 0);
    rr.run(1, 10, b(ROLE1), 1);
    rr.run(99, 3, b(ROLE2), 0); // settings row missing
    const cr = db.prepare('INSERT INTO XpCurrencyReward (XpSettingsId, Level, Amount) VALUES (?, ?, ?)');
    cr.run(1, 2, 100);
    cr.run(2, 4, 250);
    const du = db.prepare(
      'INSERT INTO DiscordUser (Id, UserId, Username, ClubId, IsClubAdmin, TotalXp, CurrencyAmount) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    du.run(10, b(U1), 'alice', 1, 0, 1000, 5000);
    du.run(11, b(U2), 'bob', 1, 1, 35, 0);
    du.run(12, b(U3), 'carol', 2, 0, 5000, 123);
    du.run(13, b(U4), 'dave', 3, 0, 0, 7);
    const club = db.prepare('INSERT INTO Clubs (Id, Name, Description, ImageUrl, BannerUrl, Xp, OwnerId, DateAdded) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    club.run(1, 'Unicorns', 'We like horns', 'https://example.com/u.png', 'https://example.com/banner.png', 1035, 10, '2023-05-01 12:00:00');
    club.run(2, 'Orphans', null, '', null, 5000, 77, null); // owner row missing
    club.run(3, 'unicorns', 'lower case, another club', null, null, 7, 13, null); // Nadeko's name index is case-sensitive
    db.prepare('INSERT INTO ClubApplicants (ClubId, UserId) VALUES (?, ?)').run(1, 13);
    db.prepare('INSERT INTO ClubBans (ClubId, UserId) VALUES (?, ?)').run(1, 12);
    const shop = db.prepare('INSERT INTO XpShopOwnedItem (UserId, ItemType, IsUsing, ItemKey, DateAdded) VALUES (?, ?, ?, ?, ?)');
    shop.run(b(U1), 0, 1, 'forest', '2024-02-03 04:05:06');
    shop.run(b(U1), 0, 0, 'default', null);
    shop.run(b(U1), 1, 1, 'gold-frame', null);
    shop.run(b(U2), 0, 0, 'sea', null);
    const notify = db.prepare('INSERT INTO Notify (GuildId, ChannelId, Type, Message) VALUES (?, ?, ?, ?)');
    notify.run(b(G1), b(CH1), 0, 'GG %user.mention%, you reached level %event.level% in %server.name%! Rank %xp.rank%');
    notify.run(b(G2), null, 0, '%event.user% is now level %xp.level%');
    notify.run(b(G2), b(CH2), 1, 'protection message, not a level-up');
    // RateType: 0 text, 1 voice, 2 image; Cooldown in minutes; an amount or cooldown of 0 means no XP there.
    const gx = db.prepare('INSERT INTO GuildXpConfig (GuildId, RateType, XpAmount, Cooldown, XpTemplateUrl) VALUES (?, ?, ?, ?, ?)');
    gx.run(b(G1), 0, 5, 1.5, null);
    gx.run(b(G1), 1, 3, 1, null);
    gx.run(b(G2), 0, 0, 1, 'https://example.com/template.json');
    gx.run(b(G2), 2, 2, 1, null);
    const cx = db.prepare('INSERT INTO ChannelXpConfig (RateType, GuildId, ChannelId, XpAmount, Cooldown) VALUES (?, ?, ?, ?, ?)');
    cx.run(0, b(G1), b(CH1), 0, 1); // text off: an exclusion
    cx.run(0, b(G1), b(CH2), 10, 0); // a cooldown of 0 is off too
    cx.run(1, b(G1), b(CH2), 0, 1); // voice off in the same channel
    cx.run(0, b(G1), b(CH3), 25, 2); // a channel's own rate: that channel's XP per message and cooldown
    cx.run(2, b(G2), b(CH3), 0, 1); // image XP
    const block = db.prepare('INSERT INTO UserNotifyBlock (UserId, Type) VALUES (?, ?)');
    block.run(b(U1), 'xp.levelup');
    block.run(b(U2), 'xp.levelup');
  });
  tx();
  db.close();
}

/**
 * Nadeko 6: the Jan 2025 cleanup added XpSettings.GuildId (default 0, filled from GuildConfigs) next to
 * GuildConfigId; no formula columns yet; Notify.ChannelId was a plain ulong (0 = no channel).
 * Built from the v7 file: formula columns dropped, GuildConfigId added, G2's settings row left at GuildId 0.
 */
export function createV6(path: string): void {
  createV7(path);
  const db = new Database(path);
  db.exec(`
    ALTER TABLE XpSettings DROP COLUMN XpFormulaA;
    ALTER TABLE XpSettings DROP COLUMN XpFormulaC;
    ALTER TABLE XpSettings ADD COLUMN GuildConfigId INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE XpSettings ADD COLUMN ServerExcluded INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE DiscordUser ADD COLUMN NotifyOnLevelUp INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE Clubs DROP COLUMN BannerUrl;
    DROP TABLE UserNotifyBlock;
    DROP TABLE GuildXpConfig;
    DROP TABLE ChannelXpConfig;
    CREATE TABLE "GuildXpConfig" ("GuildId" INTEGER NOT NULL CONSTRAINT "PK_GuildXpConfig" PRIMARY KEY AUTOINCREMENT,
      "XpAmount" INTEGER NOT NULL, "Cooldown" INTEGER NOT NULL, "XpTemplateUrl" TEXT NULL);
    CREATE TABLE "ChannelXpConfig" ("Id" INTEGER NOT NULL CONSTRAINT "PK_ChannelXpConfig" PRIMARY KEY AUTOINCREMENT,
      "GuildId" INTEGER NOT NULL, "ChannelId" INTEGER NOT NULL, "XpAmount" INTEGER NOT NULL, "Cooldown" REAL NOT NULL,
      CONSTRAINT "AK_ChannelXpConfig_GuildId_ChannelId" UNIQUE ("GuildId", "ChannelId"));
    UPDATE Notify SET ChannelId = 0 WHERE ChannelId IS NULL;
    DELETE FROM "__EFMigrationsHistory";
    INSERT INTO "__EFMigrationsHistory" VALUES ('20250225212206_init', '9.0.1');
  `);
  db.prepare('INSERT INTO GuildConfigs (Id, GuildId) VALUES (?, ?)').run(40, b(G2));
  // G2's settings row is still at GuildId 0 (found through GuildConfigs), and G2 is switched off (.xpexclude server).
  db.prepare('UPDATE XpSettings SET GuildId = 0, GuildConfigId = 40, ServerExcluded = 1 WHERE Id = 2').run();
  db.prepare('UPDATE DiscordUser SET NotifyOnLevelUp = 1 WHERE UserId = ?').run(b(U1)); // 1 = DM
  db.prepare('INSERT INTO GuildXpConfig (GuildId, XpAmount, Cooldown) VALUES (?, ?, ?)').run(b(G1), 0, 3); // no message XP
  const cx = db.prepare('INSERT INTO ChannelXpConfig (GuildId, ChannelId, XpAmount, Cooldown) VALUES (?, ?, ?, ?)');
  cx.run(b(G1), b(CH2), 0, 1);
  cx.run(b(G1), b(CH1), 7, 2.5);
  db.close();
}

/** Nadeko 5 (after 5.3): XpSettings.GuildConfigId → GuildConfigs, old ExcludedItem (0 = channel, 1 = role), no formula. */
export function createV5(path: string): void {
  const db = new Database(path);
  db.exec(`
    CREATE TABLE "GuildConfigs" ("Id" INTEGER NOT NULL CONSTRAINT "PK_GuildConfigs" PRIMARY KEY AUTOINCREMENT,
      "GuildId" INTEGER NOT NULL, "Prefix" TEXT NULL, "DateAdded" TEXT NULL);
    CREATE TABLE "UserXpStats" ("Id" INTEGER NOT NULL CONSTRAINT "PK_UserXpStats" PRIMARY KEY AUTOINCREMENT,
      "UserId" INTEGER NOT NULL, "GuildId" INTEGER NOT NULL, "Xp" INTEGER NOT NULL, "DateAdded" TEXT NULL);
    CREATE TABLE "XpSettings" ("Id" INTEGER NOT NULL CONSTRAINT "PK_XpSettings" PRIMARY KEY AUTOINCREMENT,
      "GuildConfigId" INTEGER NOT NULL, "ServerExcluded" INTEGER NOT NULL, "DateAdded" TEXT NULL);
    CREATE TABLE "ExcludedItem" ("Id" INTEGER NOT NULL CONSTRAINT "PK_ExcludedItem" PRIMARY KEY AUTOINCREMENT,
      "DateAdded" TEXT NULL, "ItemId" INTEGER NOT NULL, "ItemType" INTEGER NOT NULL, "XpSettingsId" INTEGER NULL);
    CREATE TABLE "XpRoleReward" ("Id" INTEGER NOT NULL CONSTRAINT "PK_XpRoleReward" PRIMARY KEY AUTOINCREMENT,
      "DateAdded" TEXT NULL, "XpSettingsId" INTEGER NOT NULL, "Level" INTEGER NOT NULL, "RoleId" INTEGER NOT NULL, "Remove" INTEGER NOT NULL);
    CREATE TABLE "XpCurrencyReward" ("Id" INTEGER NOT NULL CONSTRAINT "PK_XpCurrencyReward" PRIMARY KEY AUTOINCREMENT,
      "DateAdded" TEXT NULL, "XpSettingsId" INTEGER NOT NULL, "Level" INTEGER NOT NULL, "Amount" INTEGER NOT NULL);
    CREATE TABLE "XpShopOwnedItem" ("Id" INTEGER NOT NULL CONSTRAINT "PK_XpShopOwnedItem" PRIMARY KEY AUTOINCREMENT,
      "DateAdded" TEXT NULL, "UserId" INTEGER NOT NULL, "ItemType" INTEGER NOT NULL, "IsUsing" INTEGER NOT NULL, "ItemKey" TEXT NOT NULL);
    CREATE TABLE "Clubs" ("Id" INTEGER NOT NULL CONSTRAINT "PK_Clubs" PRIMARY KEY AUTOINCREMENT,
      "Name" TEXT NULL, "Description" TEXT NULL, "ImageUrl" TEXT NULL, "Xp" INTEGER NOT NULL, "OwnerId" INTEGER NULL, "DateAdded" TEXT NULL);
    ${DISCORD_USER_V7};
    ${CLUB_LINKS}
    INSERT INTO "__EFMigrationsHistory" VALUES ('20240101000000_v5', '8.0.1');
  `);
  db.transaction(() => {
    db.prepare('INSERT INTO GuildConfigs (Id, GuildId) VALUES (?, ?)').run(7, b(G1));
    db.prepare('INSERT INTO GuildConfigs (Id, GuildId) VALUES (?, ?)').run(8, b(G2));
    const xs = db.prepare('INSERT INTO XpSettings (Id, GuildConfigId, ServerExcluded) VALUES (?, ?, 0)');
    xs.run(3, 7);
    xs.run(4, 8);
    xs.run(5, 999); // points at no GuildConfigs row
    const xp = db.prepare('INSERT INTO UserXpStats (UserId, GuildId, Xp) VALUES (?, ?, ?)');
    xp.run(b(U1), b(G1), 198);
    xp.run(b(U2), b(G2), 100_000);
    const ex = db.prepare('INSERT INTO ExcludedItem (ItemId, ItemType, XpSettingsId) VALUES (?, ?, ?)');
    ex.run(b(CH1), 0, 3); // channel
    ex.run(b(ROLE1), 1, 4); // role
    ex.run(b(CH2), 0, null); // orphan
    db.prepare('INSERT INTO XpRoleReward (XpSettingsId, Level, RoleId, Remove) VALUES (?, ?, ?, ?)').run(4, 20, b(ROLE2), 0);
    db.prepare('INSERT INTO XpCurrencyReward (XpSettingsId, Level, Amount) VALUES (?, ?, ?)').run(3, 1, 50);
    db.prepare('INSERT INTO XpCurrencyReward (XpSettingsId, Level, Amount) VALUES (?, ?, ?)').run(5, 1, 50); // no guild
    const du = db.prepare('INSERT INTO DiscordUser (Id, UserId, Username, ClubId, IsClubAdmin, TotalXp, CurrencyAmount) VALUES (?, ?, ?, ?, ?, ?, ?)');
    du.run(1, b(U1), 'alice', null, 0, 198, 42);
    du.run(2, b(U2), 'bob', 3, 0, 100_000, 9_000_000_000); // a wallet above 2^32
    db.prepare('INSERT INTO Clubs (Id, Name, Description, ImageUrl, Xp, OwnerId) VALUES (?, ?, ?, ?, ?, ?)').run(3, 'Bobs', 'bob only', null, 100_000, 2);
    db.prepare('INSERT INTO XpShopOwnedItem (UserId, ItemType, IsUsing, ItemKey) VALUES (?, ?, ?, ?)').run(b(U2), 0, 1, 'night');
  })();
  db.close();
}

/** Nadeko before 5.3: UserXpStats.AwardedXp (a server level counted Xp + AwardedXp), no Remove, no shop, no Notify. */
export function createPre53(path: string): void {
  const db = new Database(path);
  db.exec(`
    CREATE TABLE "GuildConfigs" ("Id" INTEGER NOT NULL CONSTRAINT "PK_GuildConfigs" PRIMARY KEY AUTOINCREMENT,
      "GuildId" INTEGER NOT NULL, "Prefix" TEXT NULL, "DateAdded" TEXT NULL);
    CREATE TABLE "UserXpStats" ("Id" INTEGER NOT NULL CONSTRAINT "PK_UserXpStats" PRIMARY KEY AUTOINCREMENT,
      "UserId" INTEGER NOT NULL, "GuildId" INTEGER NOT NULL, "Xp" INTEGER NOT NULL, "AwardedXp" INTEGER NOT NULL,
      "NotifyOnLevelUp" INTEGER NOT NULL, "LastLevelUp" TEXT NOT NULL DEFAULT '2017-09-21 20:53:13.307', "DateAdded" TEXT NULL);
    CREATE TABLE "XpSettings" ("Id" INTEGER NOT NULL CONSTRAINT "PK_XpSettings" PRIMARY KEY AUTOINCREMENT,
      "GuildConfigId" INTEGER NOT NULL, "ServerExcluded" INTEGER NOT NULL, "DateAdded" TEXT NULL);
    CREATE TABLE "ExcludedItem" ("Id" INTEGER NOT NULL CONSTRAINT "PK_ExcludedItem" PRIMARY KEY AUTOINCREMENT,
      "DateAdded" TEXT NULL, "ItemId" INTEGER NOT NULL, "ItemType" INTEGER NOT NULL, "XpSettingsId" INTEGER NULL);
    CREATE TABLE "XpRoleReward" ("Id" INTEGER NOT NULL CONSTRAINT "PK_XpRoleReward" PRIMARY KEY AUTOINCREMENT,
      "DateAdded" TEXT NULL, "XpSettingsId" INTEGER NOT NULL, "Level" INTEGER NOT NULL, "RoleId" INTEGER NOT NULL);
    CREATE TABLE "XpCurrencyReward" ("Id" INTEGER NOT NULL CONSTRAINT "PK_XpCurrencyReward" PRIMARY KEY AUTOINCREMENT,
      "DateAdded" TEXT NULL, "XpSettingsId" INTEGER NOT NULL, "Level" INTEGER NOT NULL, "Amount" INTEGER NOT NULL);
    CREATE TABLE "DiscordUser" ("Id" INTEGER NOT NULL CONSTRAINT "PK_DiscordUser" PRIMARY KEY AUTOINCREMENT,
      "UserId" INTEGER NOT NULL, "Username" TEXT NULL, "Discriminator" TEXT NULL, "AvatarId" TEXT NULL, "ClubId" INTEGER NULL,
      "IsClubAdmin" INTEGER NOT NULL DEFAULT 0, "TotalXp" INTEGER NOT NULL DEFAULT 0, "LastLevelUp" TEXT NOT NULL DEFAULT '2017-09-21',
      "LastXpGain" TEXT NOT NULL DEFAULT '2017-09-21', "NotifyOnLevelUp" INTEGER NOT NULL DEFAULT 0,
      "CurrencyAmount" INTEGER NOT NULL DEFAULT 0, "DateAdded" TEXT NULL);
    CREATE TABLE "Clubs" ("Id" INTEGER NOT NULL CONSTRAINT "PK_Clubs" PRIMARY KEY AUTOINCREMENT,
      "Name" TEXT NULL, "Discrim" INTEGER NOT NULL, "ImageUrl" TEXT NULL, "MinimumLevelReq" INTEGER NOT NULL,
      "Xp" INTEGER NOT NULL, "OwnerId" INTEGER NOT NULL, "DateAdded" TEXT NULL);
    ${CLUB_LINKS}
  `);
  db.transaction(() => {
    db.prepare('INSERT INTO GuildConfigs (Id, GuildId) VALUES (?, ?)').run(1, b(G2));
    db.prepare('INSERT INTO XpSettings (Id, GuildConfigId, ServerExcluded) VALUES (?, ?, 0)').run(1, 1);
    const xp = db.prepare('INSERT INTO UserXpStats (UserId, GuildId, Xp, AwardedXp, NotifyOnLevelUp) VALUES (?, ?, ?, ?, 0)');
    xp.run(b(U1), b(G2), 150, 48); // 198 in total: exactly level 4
    xp.run(b(U3), b(G2), 35, 0);
    db.prepare('UPDATE UserXpStats SET NotifyOnLevelUp = 2 WHERE UserId = ?').run(b(U3)); // 2 = in the channel
    db.prepare('INSERT INTO ExcludedItem (ItemId, ItemType, XpSettingsId) VALUES (?, ?, ?)').run(b(CH2), 0, 1);
    db.prepare('INSERT INTO XpRoleReward (XpSettingsId, Level, RoleId) VALUES (?, ?, ?)').run(1, 3, b(ROLE1));
    db.prepare('INSERT INTO XpCurrencyReward (XpSettingsId, Level, Amount) VALUES (?, ?, ?)').run(1, 4, 1000);
    const du = db.prepare('INSERT INTO DiscordUser (Id, UserId, Username, Discriminator, ClubId, IsClubAdmin, TotalXp, CurrencyAmount) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    du.run(5, b(U1), 'alice', '0001', 9, 1, 198, 1234);
    du.run(6, b(U3), 'carol', '0002', null, 0, 35, 0);
    db.prepare('INSERT INTO Clubs (Id, Name, Discrim, ImageUrl, MinimumLevelReq, Xp, OwnerId) VALUES (?, ?, ?, ?, ?, ?, ?)').run(9, 'Old Guard', 1, null, 5, 198, 5);
    db.prepare('INSERT INTO ClubApplicants (ClubId, UserId) VALUES (?, ?)').run(9, 6);
  })();
  db.close();
}

/** A valid SQLite file that is not NadekoBot's. */
export function createForeign(path: string): void {
  const db = new Database(path);
  db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES (\'hello\');');
  db.close();
}

/** Every row of every Unicornia table, ids as strings: two equal dumps mean nothing changed. */
export function dump(db: Db): Record<string, unknown[]> {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  const out: Record<string, unknown[]> = {};
  for (const t of tables) {
    const rows = db.prepare(`SELECT * FROM "${t}" ORDER BY 1, 2`).safeIntegers(true).all() as Record<string, unknown>[];
    out[t] = rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? v.toString() : v])));
  }
  return out;
}

export type { Db };
