/**
 * The shop and the wallet end to end: the real discord.js client logged in to the in-repo simulator, the real bot
 * on a temporary SQLite file, prefix and slash forms, buttons, refusals, and reads that never write.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { botWorld, type BotWorld } from '../helpers/bot.js';
import type { SimMessage } from '../../src/simulator/index.js';
import { SHOP_YAML, testShopConfig } from './helpers.js';

type Button = { custom_id: string; label?: string; disabled?: boolean };
function buttons(m: SimMessage): Button[] {
  return (m.components as unknown as { components: Button[] }[]).flatMap((row) => row.components);
}
function button(m: SimMessage, action: string): Button {
  const b = buttons(m).find((x) => x.custom_id.split(':').pop() === action);
  if (!b) throw new Error(`no ${action} button`);
  return b;
}

let w: BotWorld;
let cfg: Awaited<ReturnType<typeof testShopConfig>>;

beforeAll(async () => {
  cfg = await testShopConfig();
  w = await botWorld({ config: cfg.holder });
});
afterAll(async () => {
  await w?.teardown();
});

/** A new guild member, so each test starts with an empty wallet and no items. */
function member(name: string): string {
  const id = w.sim.createUser({ username: name }).id;
  w.sim.addMember(w.guildId, id);
  return id;
}

/** Row counts of everything the shop and wallet touch, plus the connection's total_changes(). */
function snapshot() {
  const n = (sql: string) => Number(Object.values(w.core.db.prepare(sql).get() as object)[0]);
  return {
    owned: n('SELECT COUNT(*) FROM XpShopOwnedItem'),
    tx: n('SELECT COUNT(*) FROM CurrencyTransaction'),
    users: n('SELECT COUNT(*) FROM DiscordUser'),
    money: n('SELECT COALESCE(SUM(CurrencyAmount), 0) FROM DiscordUser'),
    changes: n('SELECT total_changes()'),
  };
}

async function press(m: SimMessage, action: string, userId: string): Promise<SimMessage> {
  return w.sim.pressButton({ messageId: m.id, customId: button(m, action).custom_id, userId }).reply();
}

describe('xpshop backgrounds', () => {
  it('given the shop then one background per page shows with its preview, price and buttons; paging, buying and equipping work for the invoker only', async () => {
    const carol = member('carol');
    const before = snapshot();
    const first = await w.prefix(carol, '!xpshop backgrounds');
    expect(snapshot()).toEqual(before); // opening the shop writes nothing
    expect(first.embeds[0]).toMatchObject({ title: 'Plain', image: { url: 'attachment://bg-default.png' }, footer: { text: expect.stringMatching(/^Background 1 \/ 4 · your balance: 0 Stars$/) } });
    expect(first.embeds[0]!.fields).toEqual([
      { name: 'Price', value: 'Free', inline: true },
      { name: 'Status', value: '✅ Equipped', inline: true },
    ]);
    expect(first.attachments.map((a) => a.filename)).toEqual(['bg-default.png']);
    expect(buttons(first).map((b) => b.custom_id.split(':').pop())).toEqual(['prev', 'next', 'buy', 'use']);
    expect(button(first, 'buy').disabled).toBe(true);
    expect(button(first, 'use').disabled).toBe(true);

    const second = await press(first, 'next', carol);
    expect(second.embeds[0]!.title).toBe('Starter');
    expect(second.attachments.map((a) => a.filename)).toEqual([second.embeds[0]!.image!.url.replace('attachment://', '')]); // the preview follows the page
    const third = await press(first, 'next', carol);
    expect(third.embeds[0]).toMatchObject({ title: 'Aurora', description: 'Animated\nKey: `aurora`' });
    expect(third.embeds[0]!.fields![0]).toEqual({ name: 'Price', value: '100 ⭐', inline: true });
    expect(button(third, 'buy')).toMatchObject({ label: 'Buy · 100', disabled: false });
    expect(snapshot()).toEqual(before); // paging writes nothing

    // Someone else's press is refused and changes nothing.
    const stranger = await press(first, 'buy', w.bob);
    expect(stranger.content).toContain(`Only <@${carol}> can use these buttons`);
    expect(w.sim.message(first.id)!.embeds[0]!.title).toBe('Aurora');

    // Unaffordable: an ephemeral refusal, the page and the database stay as they were.
    const poor = await press(first, 'buy', carol);
    expect(poor.content).toBe("You can't afford that: it costs 100 ⭐ and you have 0 ⭐. Nothing was charged.");
    expect(snapshot()).toEqual(before);

    await w.prefix(w.owner, `!wallet give <@${carol}> 150`);
    const bought = await press(first, 'buy', carol);
    expect(bought.content).toBe('✅ Bought **Aurora** for 100 ⭐ and equipped it. Balance: 50 ⭐.');
    expect(bought.embeds[0]!.fields![1]).toEqual({ name: 'Status', value: '✅ Equipped', inline: true });
    expect((await w.bot.app.shop.equippedBackground(carol)).key).toBe('aurora');

    const back = await press(first, 'prev', carol);
    expect(back.embeds[0]!.title).toBe('Starter');
    const starter = await press(first, 'buy', carol); // free
    expect(starter.content).toContain('Bought **Starter** and equipped it');
    const aurora = await press(first, 'next', carol);
    expect(button(aurora, 'use').disabled).toBe(false);
    const equipped = await press(first, 'use', carol);
    expect(equipped.content).toBe('✅ **Aurora** is now your card background.');
    expect((await w.bot.app.shop.equippedBackground(carol)).key).toBe('aurora');
  });

  it('given the slash form then the same browser opens, with the preview attached', async () => {
    const dave = member('dave');
    const reply = await w.slash(dave, { name: 'xpshop', subcommand: 'backgrounds', options: { key: 'sunset' } });
    expect(reply.embeds[0]!.title).toBe('Sunset');
    expect(reply.attachments.map((a) => a.filename)).toEqual(['bg-sunset.png']);
    const typo = await w.prefix(dave, '!xpshop backgrounds aurra');
    expect(typo.content).toBe('There is no background called `aurra`. Did you mean `aurora`?\nUsage: `!xpshop backgrounds [key]`');
  });
});

describe('xpshop buy / use / owned', () => {
  it('given prefix and slash purchases then each charges once and refusals say what is wrong and change nothing', async () => {
    const erin = member('erin');
    const unknown = await w.prefix(erin, '!xpshop buy aurorra');
    expect(unknown.content).toBe('There is no background called `aurorra`. Did you mean `aurora`?\nUsage: `!xpshop buy <key>`');
    const missing = await w.prefix(erin, '!xpshop buy');
    expect(missing.content).toContain('Missing `key`');

    const before = snapshot();
    const poor = await w.prefix(erin, '!xpshop buy sunset');
    expect(poor.content).toBe("You can't afford that: it costs 300 ⭐ and you have 0 ⭐. Nothing was charged.");
    expect(snapshot()).toEqual(before);

    await w.prefix(w.owner, `!wallet give <@${erin}> 400 welcome gift`);
    const bought = await w.slash(erin, { name: 'xpshop', subcommand: 'buy', options: { key: 'sunset' } });
    expect(bought.content).toBe('✅ Bought **Sunset** for 300 ⭐ and equipped it. Balance: 100 ⭐.');
    const again = await w.prefix(erin, '!xpshop buy SUNSET');
    expect(again.content).toBe('You already own `SUNSET`. Equip it with `!xpshop use SUNSET`.');
    const retired = await w.prefix(erin, '!xpshop buy retired');
    expect(retired.content).toBe('**Retired** is no longer sold. People who own it can still use it.');
    const hidden = await w.prefix(erin, '!xpshop buy secret');
    expect(hidden.content).toBe('There is no background called `secret`. See `xpshop backgrounds` for the list.\nUsage: `!xpshop buy <key>`');
    expect(await w.bot.app.shop.balance(erin)).toBe(100);

    const notOwned = await w.prefix(erin, '!xpshop use aurora');
    expect(notOwned.content).toBe("You don't own **Aurora**. Buy it with `!xpshop buy aurora`.");
    const useDefault = await w.slash(erin, { name: 'xpshop', subcommand: 'use', options: { key: 'default' } });
    expect(useDefault.content).toBe('✅ **Plain** is now your card background.');
    expect((await w.bot.app.shop.equippedBackground(erin)).key).toBe('default');
    const useTypo = await w.prefix(erin, '!xpshop use sunsett');
    expect(useTypo.content).toContain('Did you mean `sunset`?');
    expect((await w.prefix(erin, '!xpshop use sunset')).content).toBe('✅ **Sunset** is now your card background.');

    const owned = await w.prefix(erin, '!xpshop owned');
    expect(owned.embeds[0]!.description).toBe('▫️ **Plain** (`default`)\n✅ **Sunset** (`sunset`) — equipped');
  });

  it('given a new user then xpshop owned and balance read without writing', async () => {
    const fay = member('fay');
    const before = snapshot();
    const owned = await w.slash(fay, { name: 'xpshop', subcommand: 'owned' });
    expect(owned.embeds[0]!.description).toBe('✅ **Plain** (`default`) — equipped');
    expect((await w.prefix(fay, '!balance')).content).toBe('You have 0 ⭐ (Stars).');
    await w.prefix(fay, '!wallet history');
    expect(snapshot()).toEqual(before);
  });
});

describe('xpshop give / reload (bot owner)', () => {
  it('given give then only the owner may, hidden items can be given and equipped, and a second give is refused', async () => {
    const gus = member('gus');
    expect((await w.prefix(w.alice, `!xpshop give <@${gus}> secret`)).content).toBe('Only the bot owner can use this command.');
    expect((await w.prefix(w.owner, `!xpshop give <@${gus}> secrett`)).content).toContain('Did you mean `secret`?');
    expect((await w.prefix(w.owner, `!xpshop give <@${gus}> secret`)).content).toBe(`✅ Gave **Secret** to <@${gus}>. They can equip it with \`!xpshop use secret\`.`);
    expect((await w.slash(w.owner, { name: 'xpshop', subcommand: 'give', options: { user: gus, key: 'secret' } })).content).toBe(`<@${gus}> already owns **Secret**.`);
    expect((await w.prefix(gus, '!xpshop use secret')).content).toBe('✅ **Secret** is now your card background.');
    expect(await w.bot.app.shop.equippedBackground(gus)).toMatchObject({ key: 'secret', image: { kind: 'file' } });
    expect(await w.bot.app.shop.balance(gus)).toBe(0);
  });

  it('given reload then a broken file keeps the running config and the reply names field and line; a good file applies at once', async () => {
    expect((await w.prefix(w.alice, '!xpshop reload')).content).toBe('Only the bot owner can use this command.');
    writeFileSync(cfg.path, SHOP_YAML.replace('price: 100', 'price: cheap'));
    const bad = await w.prefix(w.owner, '!xpshop reload');
    expect(bad.content).toBe('❌ xp_config.yml was not reloaded; the running config is unchanged:\n• line 8, shop.bgs.aurora.price: must be a whole number (0 = free, -1 = no longer sold)');
    expect(w.bot.app.shop.find('aurora')!.price).toBe(100);

    writeFileSync(cfg.path, SHOP_YAML.replace('price: 100', 'price: 120').replace('name: Stars', 'name: Moons').replace('"⭐"', '"🌙"'));
    const good = await w.slash(w.owner, { name: 'xpshop', subcommand: 'reload' });
    expect(good.content).toBe('✅ Reloaded xp_config.yml: 6 backgrounds (4 for sale), currency 🌙 Moons, card template applied.');
    expect(w.bot.app.shop.find('aurora')!.price).toBe(120);
    const hal = member('hal');
    expect((await w.prefix(hal, '!xpshop buy aurora')).content).toBe("You can't afford that: it costs 120 🌙 and you have 0 🌙. Nothing was charged.");

    writeFileSync(cfg.path, SHOP_YAML);
    expect((await w.bot.app.config.reload()).ok).toBe(true);
  });
});

describe('wallet', () => {
  it('given balance, give, take and history then amounts move, are logged, and bad arguments change nothing', async () => {
    const ivy = member('ivy');
    expect((await w.prefix(w.alice, `!wallet give <@${ivy}> 10`)).content).toBe('Only the bot owner can use this command.');
    const bad = await w.prefix(w.owner, `!wallet give <@${ivy}> lots`);
    expect(bad.content).toBe('`amount` must be a whole number from 1 to 1,000,000,000,000, not `lots`.\nUsage: `!wallet give <user> <amount> [reason]`');
    const zero = await w.prefix(w.owner, `!wallet give <@${ivy}> 0`);
    expect(zero.content).toContain('`amount` must be at least 1.');
    const before = snapshot();
    expect(before.tx).toBe(snapshot().tx);

    expect((await w.prefix(w.owner, `!wallet give <@${ivy}> 1,000 event prize`)).content).toBe(`✅ Gave 1,000 ⭐ to <@${ivy}>. Their balance: 1,000 ⭐.`);
    expect((await w.slash(w.owner, { name: 'wallet', subcommand: 'take', options: { user: ivy, amount: 250 } })).content).toBe(`✅ Took 250 ⭐ from <@${ivy}>. Their balance: 750 ⭐.`);
    for (const verb of ['give', 'take']) {
      expect((await w.prefix(w.owner, `!wallet ${verb} <@${w.botId}> 10`)).content).toBe(`Bots have no wallet.\nUsage: \`!wallet ${verb} <user> <amount> [reason]\``);
    }
    const tooMuch = await w.prefix(w.owner, `!wallet take <@${ivy}> 751`);
    expect(tooMuch.content).toBe(`<@${ivy}> has only 750 ⭐; nothing was taken.`);
    expect(await w.bot.app.shop.balance(ivy)).toBe(750);

    expect((await w.prefix(ivy, '!bal')).content).toBe('You have 750 ⭐ (Stars).');
    expect((await w.slash(w.alice, { name: 'balance', options: { user: ivy } })).content).toBe('**ivy** has 750 ⭐ (Stars).');
    const history = await w.prefix(ivy, '!wallet history');
    expect(history.embeds[0]!.description).toMatch(/^`−250` ⭐ Taken by the owner — by <@\d+> · <t:\d+:R>\n`\+1,000` ⭐ Given by the owner — by <@\d+>: event prize/);
    expect((await w.prefix(ivy, `!wallet history <@${w.alice}>`)).content).toBe("Only the bot owner can see someone else's transactions.");
  });
});
