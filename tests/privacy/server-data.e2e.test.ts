/**
 * `server data export|delete` end to end (DESIGN §13): two servers sharing members with ids above 2^53; the
 * export's CSV and JSON, and the database row by row after the deletion of one server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botWorld, joinedGuild, type BotWorld } from '../helpers/bot.js';
import type { SimMessage } from '../../src/simulator/index.js';
import { PRIVACY_CATALOG } from '../../src/storage/privacy-catalog.js';

let w: BotWorld;
let g2: string;

beforeAll(async () => {
  w = await botWorld();
  g2 = (await joinedGuild(w, 'Second Farm')).guildId;
});
afterAll(async () => {
  await w?.teardown();
});

function button(m: SimMessage, prefix: string): string {
  for (const row of m.components as { components: { label?: string; custom_id?: string }[] }[]) {
    for (const c of row.components) if (c.label?.startsWith(prefix)) return c.custom_id!;
  }
  throw new Error(`no button ${prefix}`);
}

/** Rows per table with the server's id, by the catalog's server clauses. */
function serverRows(guildId: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [table, decl] of Object.entries(PRIVACY_CATALOG)) {
    if (!decl.guild) continue;
    const n = w.core.db.prepare(`SELECT COUNT(*) FROM ${table} WHERE ${decl.guild.where}`).pluck().get({ guild: BigInt(guildId) }) as number;
    if (n > 0) out[table] = n;
  }
  return out;
}

describe('server data', () => {
  it('given two servers then export sends the CSV and JSON of one, and delete (slash, confirmed) erases only it', async () => {
    const { alice, bob, admin } = w;
    w.sim.addMember(g2, alice);
    w.core.engine.adjustXp(w.guildId, alice, { set: 1234 });
    w.core.engine.adjustXp(w.guildId, bob, { set: 50 });
    w.core.engine.adjustXp(g2, alice, { set: 77 });
    await w.prefix(admin, '!unicornia xp cooldown 30');
    await w.prefix(admin, `!unicornia exclusions adduser <@${bob}>`);
    await w.prefix(admin, '!rewards currency 5 100');
    await w.core.writer.wallet.adjust(alice, 40, 'gift', null);

    const dm = w.sim.nextDm(admin);
    const reply = await w.prefix(admin, '!server data export');
    expect(reply.content).toBe('📬 I sent you a direct message with the data of **Unicorn Farm**.');
    const files = new Map((await dm).attachments.map((a) => [a.filename, a.data.toString('utf8')]));
    const byId = (a: string, b: string) => (BigInt(a.split(',')[1]!) < BigInt(b.split(',')[1]!) ? -1 : 1);
    const lines = [`${w.guildId},${alice},1234,13,1234,13,0`, `${w.guildId},${bob},50,1,50,1,0`].sort(byId);
    expect(files.get(`unicornia-${w.guildId}.csv`)).toBe(['guild_id,user_id,xp,level,awarded_xp,rewarded_level,has_left', ...lines, ''].join('\n'));
    const json = JSON.parse(files.get(`unicornia-${w.guildId}.json`)!);
    expect(json.guildId).toBe(w.guildId);
    expect(json.tables.XpSettings).toEqual([expect.objectContaining({ GuildId: w.guildId, CooldownSeconds: 30 })]);
    expect(json.tables.XpExcludedItem).toEqual([{ GuildId: w.guildId, ItemType: 'user', ItemId: bob }]);
    expect(json.tables.XpCurrencyReward).toEqual([{ GuildId: w.guildId, Level: 5, Amount: 100 }]);
    expect(json.tables.UserXpStats.map((r: { UserId: string }) => r.UserId).sort()).toEqual([alice, bob].sort());

    const g2Before = serverRows(g2);
    const question = await w.slash(admin, { name: 'server', subcommandGroup: 'data', subcommand: 'delete' });
    expect(question.content).toContain(`**Unicorn Farm** (${w.guildId})`);
    const done = await w.sim.pressButton({ messageId: question.id, customId: button(question, 'Erase all data of Unicorn Farm'), userId: admin }).reply();
    expect(done.content).toContain('rows about **Unicorn Farm**');
    await w.core.flusher.flush();

    expect(serverRows(w.guildId)).toEqual({});
    expect(serverRows(g2)).toEqual(g2Before);
    expect(w.core.db.prepare('SELECT CAST(UserId AS TEXT) u, TotalXp, CurrencyAmount FROM DiscordUser ORDER BY UserId').all()).toEqual(
      [
        { u: alice, TotalXp: 77, CurrencyAmount: 40 },
        { u: bob, TotalXp: 0, CurrencyAmount: 0 },
      ].sort((a, b) => (BigInt(a.u) < BigInt(b.u) ? -1 : 1)),
    );
    expect((await w.core.engine.rules(w.guildId)).settings.cooldownSeconds).toBe(60);
    expect(w.core.engine.xpOf(w.guildId, alice)).toBe(0);
    expect(w.core.engine.xpOf(g2, alice)).toBe(77);
  });

  it('given a member without Manage Server then neither command runs', async () => {
    const before = serverRows(w.guildId);
    const reply = await w.prefix(w.bob, '!server data delete');
    expect(reply.components).toEqual([]);
    expect(serverRows(w.guildId)).toEqual(before);
  });
});
