/**
 * `privacy export|delete` end to end (DESIGN §13): the real discord.js client against the simulator, a member in
 * two servers with ids above 2^53, both command forms, and the database checked row by row afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botWorld, joinedGuild, type BotWorld } from '../helpers/bot.js';
import type { SimMessage } from '../../src/simulator/index.js';

let w: BotWorld;
let g2: string;
let g2chat: string;

beforeAll(async () => {
  w = await botWorld();
  ({ guildId: g2, channelId: g2chat } = await joinedGuild(w, 'Second Farm'));
});
afterAll(async () => {
  await w?.teardown();
});

function member(name: string, guilds: string[] = [w.guildId, g2]): string {
  const id = w.sim.createUser({ username: name }).id;
  for (const g of guilds) w.sim.addMember(g, id);
  return id;
}

/** Every row of the tables a member's data lives in, ids as text, in a stable order. */
type Row = Record<string, unknown> & { u?: string };

function dump() {
  const all = (sql: string) => w.core.db.prepare(sql).all() as Row[];
  return {
    xp: all('SELECT CAST(GuildId AS TEXT) g, CAST(UserId AS TEXT) u, Xp, AwardedXp, RewardedLevel, HasLeft FROM UserXpStats ORDER BY GuildId, UserId'),
    users: all('SELECT CAST(UserId AS TEXT) u, TotalXp, CurrencyAmount, ClubId, IsClubAdmin FROM DiscordUser ORDER BY UserId'),
    ledger: all('SELECT CAST(UserId AS TEXT) u, Amount, Type, Note FROM CurrencyTransaction ORDER BY Id'),
    clubs: all('SELECT Name, CAST(OwnerId AS TEXT) o FROM Clubs ORDER BY Id'),
    items: all('SELECT CAST(UserId AS TEXT) u, ItemKey FROM XpShopOwnedItem ORDER BY Id'),
  };
}

function button(m: SimMessage, label: string): string {
  for (const row of m.components as { components: { label?: string; custom_id?: string }[] }[]) {
    for (const c of row.components) if (c.label === label) return c.custom_id!;
  }
  throw new Error(`no button ${label} in ${JSON.stringify(m.components)}`);
}

async function press(m: SimMessage, label: string, userId: string): Promise<SimMessage> {
  return w.sim.pressButton({ messageId: m.id, customId: button(m, label), userId }).reply();
}

async function exportedVia(form: 'prefix' | 'slash', userId: string) {
  const dm = w.sim.nextDm(userId);
  const reply = form === 'prefix' ? await w.prefix(userId, '!privacy export') : await w.slash(userId, { name: 'privacy', subcommand: 'export' });
  const m = await dm;
  const file = m.attachments[0]!;
  return { reply, dm: m, name: file.filename, text: file.data.toString('utf8'), data: JSON.parse(file.data.toString('utf8')) };
}

describe('privacy export', () => {
  it('given a member in two servers then both forms DM the same JSON of every row about them, with ids as exact strings', async () => {
    const ann = member('ann');
    expect(BigInt(ann) > 2n ** 53n && BigInt(g2) > 2n ** 53n).toBe(true);
    w.core.engine.adjustXp(w.guildId, ann, { set: 1234 });
    w.core.engine.adjustXp(g2, ann, { set: 99 });
    await w.core.writer.wallet.adjust(ann, 300, 'gift', 'welcome');
    await w.say(ann, 'hello there', g2chat); // buffered, not yet flushed: the export still holds it

    const viaPrefix = await exportedVia('prefix', ann);
    const viaSlash = await exportedVia('slash', ann);

    expect(viaPrefix.reply.content).toContain('direct message');
    expect(viaPrefix.name).toBe(`unicornia-data-${ann}.json`);
    expect(viaPrefix.dm.content).toContain('`servers` sums up your XP');
    const { data } = viaPrefix;
    expect(data.userId).toBe(ann);
    expect(data.servers).toEqual([
      { guildId: w.guildId, xp: 1234, level: 13, hasLeft: false },
      { guildId: g2, xp: 100, level: 2, hasLeft: false },
    ]);
    expect(data.tables.UserXpStats.map((r: { GuildId: string; UserId: string }) => [r.GuildId, r.UserId])).toEqual([[w.guildId, ann], [g2, ann]]);
    expect(data.tables.DiscordUser).toEqual([expect.objectContaining({ UserId: ann, TotalXp: 1334, CurrencyAmount: 300 })]);
    expect(data.tables.CurrencyTransaction).toEqual([expect.objectContaining({ UserId: ann, Amount: 300, Type: 'gift', Note: 'welcome' })]);
    expect(data.onErase.CurrencyTransaction).toMatch(/^special: anonymised/);
    // XP history (DESIGN §15.1) per server and source: admin (3) and message (1), the buffered message included.
    const history = data.tables.XpHistoryDaily as { GuildId: string; Source: number; Xp: number }[];
    expect(history.map((r) => `${r.GuildId}:${r.Source}:${r.Xp}`).sort()).toEqual([`${w.guildId}:3:1234`, `${g2}:1:1`, `${g2}:3:99`].sort());
    expect(data.onErase.XpHistoryDaily).toBe('deleted');
    expect(viaPrefix.text).toContain(`"UserId": "${ann}"`); // a string in the file, never a rounded number
    const { exportedAt: _a, ...prefixRest } = viaPrefix.data;
    const { exportedAt: _b, ...slashRest } = viaSlash.data;
    expect(slashRest).toEqual(prefixRest);
    expect(viaSlash.dm.content).toBe(viaPrefix.dm.content.replaceAll('`!', '`/'));
  });

  it('given a member whose DMs are closed then they are told how to open them and nothing is sent', async () => {
    const shy = w.sim.createUser({ username: 'shy', acceptsDms: false }).id;
    w.sim.addMember(w.guildId, shy);
    const reply = await w.prefix(shy, '!privacy export');
    expect(reply.content).toContain("couldn't send you a direct message");
    expect(w.sim.dmsWith(shy).filter((m) => m.attachments.length > 0)).toEqual([]);
  });
});

describe('privacy delete', () => {
  it('given cancel, a stranger pressing, then confirm in prefix form then the member is gone everywhere, row by row, and others are untouched', async () => {
    const bea = member('bea');
    const cid = member('cid');
    const dot = member('dot', [w.guildId]);
    w.core.engine.adjustXp(w.guildId, bea, { set: 500 });
    w.core.engine.adjustXp(g2, bea, { set: 60 });
    w.core.engine.adjustXp(w.guildId, cid, { set: 45 });
    await w.core.flusher.flush();
    await w.core.writer.wallet.adjust(bea, 200, 'gift', null);
    await w.core.writer.wallet.adjust(cid, 50, 'gift', null);
    await w.core.writer.clubs.create(bea, 'Bee Hive');
    await w.core.writer.clubs.setOpen(bea, true);
    await w.core.writer.clubs.join(cid, 'Bee Hive');
    await w.core.writer.clubs.join(dot, 'Bee Hive');
    await w.core.writer.clubs.setAdmin(bea, dot, true);
    await w.say(bea, 'one more message', g2chat); // buffered when the erasure runs
    const before = dump();

    const question = await w.prefix(bea, '!privacy delete');
    expect(question.content).toContain('in every server');
    const cancelled = await press(question, 'Cancel', bea);
    expect(cancelled.content).toBe('Nothing was erased.');
    expect(dump()).toEqual(before);

    const again = await w.prefix(bea, '!privacy erase'); // the alias
    const stranger = await press(again, 'Erase everything', cid);
    expect(stranger.content).toContain(`Only <@${bea}> can use these buttons`);
    const done = await press(again, 'Erase everything', bea);
    expect(done.content).toContain('rows erased');
    expect(done.content).toContain(`**Bee Hive** now belongs to <@${dot}>`);
    expect(done.components).toEqual([]);
    await w.core.flusher.flush();

    const after = dump();
    const without = (rows: Row[]) => rows.filter((r) => r.u !== bea);
    expect(after.xp).toEqual(without(before.xp));
    expect(after.users).toEqual(without(before.users).map((u) => (u.u === dot ? { ...u, IsClubAdmin: 0 } : u)));
    expect(after.ledger).toEqual([
      ...before.ledger.map((r) => (r.u === bea ? { ...r, u: '0', Note: null } : r)),
      { u: '0', Amount: -200, Type: 'erased', Note: null },
    ]);
    expect(after.clubs).toEqual([{ Name: 'Bee Hive', o: dot }]);
    expect(w.core.engine.xpOf(w.guildId, bea)).toBe(0);
    expect(w.core.engine.xpOf(g2, bea)).toBe(0);
  });

  it('given the slash form then it asks ephemerally and erases the same way', async () => {
    const eve = member('eve');
    w.core.engine.adjustXp(g2, eve, { set: 321 });
    await w.core.writer.wallet.adjust(eve, 10, 'gift', null);
    const question = await w.slash(eve, { name: 'privacy', subcommand: 'delete' });
    expect(question.flags & 64).toBe(64);
    const done = await press(question, 'Erase everything', eve);
    expect(done.content).toContain('rows erased');
    await w.core.flusher.flush();
    const after = dump();
    expect(after.xp.filter((r) => r.u === eve)).toEqual([]);
    expect(after.users.filter((r) => r.u === eve)).toEqual([]);
  });
});
