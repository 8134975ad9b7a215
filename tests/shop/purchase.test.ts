import { afterEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { openDatabase, type Db } from '../../src/storage/database.js';
import { inlineWriter, workerWriter } from '../../src/storage/writer.js';
import { ShopService } from '../../src/shop/shop-service.js';
import { ShopReadStore } from '../../src/storage/shop-reads.js';
import { WalletReadStore } from '../../src/storage/wallet-reads.js';
import { ITEM_TYPE } from '../../src/storage/shop-writes.js';
import { tempDbPath } from '../helpers/temp.js';
import { SHOP_YAML, testShopConfig } from './helpers.js';

const ALICE = '9223372036854775807'; // 2^63 − 1: never a JS number
const BOB = '123456789012345678';

let closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.reverse()) await c();
  closers = [];
});

async function setup(kind: 'inline' | 'worker' = 'inline') {
  const path = tempDbPath();
  const db = openDatabase(path);
  const writerDb = kind === 'inline' ? openDatabase(path) : null;
  const writer = writerDb ? inlineWriter(writerDb, { writerId: 'w1' }) : workerWriter({ path, writerId: randomUUID() });
  closers.push(() => void db.close(), () => void writerDb?.close(), () => writer.close());
  const cfg = await testShopConfig();
  return { path, db, writer, shop: new ShopService(new ShopReadStore(db), new WalletReadStore(db), writer, cfg.holder), cfg };
}

function counts(db: Db) {
  const one = (sql: string) => Number(Object.values(db.prepare(sql).get() as object)[0]);
  return {
    owned: one('SELECT COUNT(*) FROM XpShopOwnedItem'),
    tx: one('SELECT COUNT(*) FROM CurrencyTransaction'),
    users: one('SELECT COUNT(*) FROM DiscordUser'),
    money: one('SELECT COALESCE(SUM(CurrencyAmount), 0) FROM DiscordUser'),
  };
}

function totalChanges(db: Db): number {
  return Number((db.prepare('SELECT total_changes() AS n').get() as { n: number }).n);
}

describe('purchases', () => {
  it('given two concurrent purchases from two writer threads (two connections, one file) then the item is charged once', async () => {
    const { path, db, shop, cfg } = await setup('worker');
    const other = workerWriter({ path, writerId: randomUUID() });
    closers.push(() => other.close());
    const shop2 = new ShopService(new ShopReadStore(db), new WalletReadStore(db), other, cfg.holder);
    for (const user of [ALICE, BOB, '333333333333333333', '444444444444444444']) {
      await other.wallet.adjust(user, 150, 'owner_give', 'test');
      const results = await Promise.all([shop.buy(user, 'aurora'), shop2.buy(user, 'aurora'), shop.buy(user, 'aurora'), shop2.buy(user, 'aurora')]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.reason)).toEqual(['already_owned', 'already_owned', 'already_owned']);
      expect(await shop.balance(user)).toBe(50);
      expect((await shop.wallet.history(user)).map((t) => t.amount)).toEqual([-100, 150]);
      expect((await shop.equippedBackground(user)).key).toBe('aurora');
    }
    expect(counts(db).owned).toBe(4);
  });

  it('given Promise.all of two purchases through one worker writer then the second is refused and nothing is charged twice', async () => {
    const { db, writer, shop } = await setup('worker');
    await writer.wallet.adjust(ALICE, 1000, 'owner_give', null);
    const [a, b] = await Promise.all([shop.buy(ALICE, 'sunset'), shop.buy(ALICE, 'sunset')]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    expect(await shop.balance(ALICE)).toBe(700);
    expect(counts(db).owned).toBe(1);
  });

  it('given an unaffordable purchase then nothing changes: no row, no log, same balance', async () => {
    const { db, writer, shop } = await setup();
    await writer.wallet.adjust(ALICE, 99, 'owner_give', null);
    const before = counts(db);
    const r = await shop.buy(ALICE, 'aurora');
    expect(r).toMatchObject({ ok: false, reason: 'insufficient_funds', balance: 99, price: 100 });
    expect(counts(db)).toEqual(before);
    expect((await shop.equippedBackground(ALICE)).key).toBe('default');
  });

  it('given a brand-new user then a free item is bought (no debit, no log row) and equipped; a priced one is refused', async () => {
    const { db, shop } = await setup();
    const r = await shop.buy(ALICE, 'STARTER');
    expect(r).toMatchObject({ ok: true, charged: 0, balance: 0, equipped: true });
    expect(counts(db)).toMatchObject({ owned: 1, tx: 0 });
    expect(await shop.equippedBackground(ALICE)).toMatchObject({ key: 'starter', name: 'Starter' });
    expect(await shop.buy(BOB, 'aurora')).toMatchObject({ ok: false, reason: 'insufficient_funds', balance: 0 });
    expect(counts(db).users).toBe(0); // a refused purchase does not even create the wallet row
  });

  it('given the default background then it needs no row: owned, equipped, and "buying" it is refused as already owned', async () => {
    const { db, shop } = await setup();
    expect(await shop.equippedBackground(ALICE)).toMatchObject({ key: 'default', name: 'Plain', ref: expect.stringMatching(/[\\/]bg[\\/]plain\.png$/) });
    expect(await shop.owned(ALICE)).toEqual([expect.objectContaining({ key: 'default', equipped: true })]);
    expect(await shop.buy(ALICE, 'default')).toMatchObject({ ok: false, reason: 'already_owned' });
    expect(counts(db).owned).toBe(0);
  });

  it('given a hidden item then it cannot be bought (nor suggested) but can be given and equipped', async () => {
    const { writer, shop } = await setup();
    await writer.wallet.adjust(ALICE, 1000, 'owner_give', null);
    expect(await shop.buy(ALICE, 'secret')).toMatchObject({ ok: false, reason: 'unknown_key', suggestion: null });
    expect((await shop.browseList(ALICE)).map((b) => b.key)).not.toContain('secret');
    expect(await shop.give(ALICE, 'secret', 'test')).toMatchObject({ ok: true });
    expect(await shop.give(ALICE, 'secret', 'test')).toMatchObject({ ok: false, reason: 'already_owned' });
    expect(await shop.use(ALICE, 'secret')).toMatchObject({ ok: true, changed: true });
    expect((await shop.equippedBackground(ALICE)).key).toBe('secret');
    expect((await shop.browseList(ALICE)).map((b) => b.key)).toContain('secret'); // its owner sees it to equip it
    expect(await shop.balance(ALICE)).toBe(1000);
  });

  it('given price −1 then it is no longer sold, but an owner keeps using it', async () => {
    const { writer, shop } = await setup();
    await writer.wallet.adjust(ALICE, 1000, 'owner_give', null);
    expect(await shop.buy(ALICE, 'retired')).toMatchObject({ ok: false, reason: 'not_for_sale' });
    expect((await shop.browseList(BOB)).map((b) => b.key)).not.toContain('retired');
    await writer.shop.give(BOB, ITEM_TYPE.background, 'retired', 'legacy');
    expect(await shop.use(BOB, 'retired')).toMatchObject({ ok: true });
    expect((await shop.equippedBackground(BOB)).key).toBe('retired');
    expect(await shop.buy(BOB, 'retired')).toMatchObject({ ok: false, reason: 'already_owned' });
    expect(await shop.balance(ALICE)).toBe(1000);
  });

  it('given equip rules then one item is equipped at a time, default unequips, and an unowned item is refused', async () => {
    const { db, writer, shop } = await setup();
    await writer.wallet.adjust(ALICE, 1000, 'owner_give', null);
    await shop.buy(ALICE, 'aurora');
    await shop.buy(ALICE, 'sunset');
    expect((await shop.equippedBackground(ALICE)).key).toBe('sunset');
    expect(await shop.use(ALICE, 'aurora')).toMatchObject({ ok: true, changed: true });
    expect(Number((db.prepare('SELECT COUNT(*) AS n FROM XpShopOwnedItem WHERE IsUsing = 1').get() as { n: number }).n)).toBe(1);
    expect(await shop.use(ALICE, 'default')).toMatchObject({ ok: true, changed: true });
    expect((await shop.equippedBackground(ALICE)).key).toBe('default');
    expect(await shop.use(BOB, 'aurora')).toMatchObject({ ok: false, reason: 'not_owned' });
    expect(await shop.use(ALICE, 'aurorra')).toMatchObject({ ok: false, reason: 'unknown_key', suggestion: 'aurora' });
  });

  it('given the equipped background removed from the config then the card falls back to the default (and nothing is written)', async () => {
    const { db, writer, shop, cfg } = await setup();
    await writer.wallet.adjust(ALICE, 1000, 'owner_give', null);
    await shop.buy(ALICE, 'aurora');
    writeFileSync(cfg.path, SHOP_YAML.replace(/ {4}aurora:.*\n/, ''));
    expect((await cfg.holder.reload()).ok).toBe(true);
    const before = totalChanges(db);
    expect((await shop.equippedBackground(ALICE)).key).toBe('default');
    expect((await shop.owned(ALICE)).find((o) => o.key === 'aurora')).toMatchObject({ bg: null });
    expect(totalChanges(db)).toBe(before);
  });

  it('given reads (browse, view, owned, equipped, balance, history) for new and known users then the reading connection writes nothing', async () => {
    const { db, writer, shop } = await setup();
    await writer.wallet.adjust(BOB, 500, 'owner_give', null);
    await shop.buy(BOB, 'aurora');
    const before = { ...counts(db), changes: totalChanges(db) };
    for (const user of [ALICE, BOB]) {
      (await shop.browseList(user)).forEach((bg) => shop.view(user, bg));
      shop.owned(user);
      shop.equippedBackground(user);
      shop.balance(user);
      shop.wallet.history(user);
    }
    expect({ ...counts(db), changes: totalChanges(db) }).toEqual(before);
  });
});

describe('wallet', () => {
  it('given give and take then the balance moves and each is logged; taking more than the balance changes nothing', async () => {
    const { db, writer, shop } = await setup();
    expect(await writer.wallet.adjust(ALICE, 250, 'owner_give', 'by owner')).toEqual({ ok: true, balance: 250 });
    expect(await writer.wallet.adjust(ALICE, -100, 'owner_take', 'by owner')).toEqual({ ok: true, balance: 150 });
    const before = counts(db);
    expect(await writer.wallet.adjust(ALICE, -151, 'owner_take', 'by owner')).toEqual({ ok: false, reason: 'insufficient_funds', balance: 150 });
    expect(counts(db)).toEqual(before);
    expect((await shop.wallet.history(ALICE)).map((t) => [t.amount, t.type])).toEqual([
      [-100, 'owner_take'],
      [250, 'owner_give'],
    ]);
    // The id survives as a 64-bit integer (never through a JS number).
    expect(String((db.prepare('SELECT UserId FROM DiscordUser').safeIntegers(true).get() as { UserId: bigint }).UserId)).toBe(ALICE);
  });
});

