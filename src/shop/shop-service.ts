/**
 * The XP shop over the running config and storage: what is for sale, what a user owns and has equipped, and
 * the purchase/equip/give operations (each one writer transaction). Reads never write: a user with no rows owns
 * the free `default` background and has it equipped.
 *
 * For the card service: `equippedBackground(userId)` → the background to draw (a shipped file or a remote URL that
 * must be fetched through the SafeFetcher).
 */
import type { Writer } from '../storage/write-modules.js';
import type { ShopReadStore } from '../storage/shop-reads.js';
import type { WalletReadStore } from '../storage/wallet-reads.js';
import type { Port } from '../storage/ports.js';
import { ITEM_TYPE, type BuyResult } from '../storage/shop-writes.js';
import { DEFAULT_BACKGROUND_KEY, type ImageSource, type ShopBackground, type XpConfigHolder } from '../config/xp-config.js';
import { closest } from '../util/suggest.js';

export interface EquippedBackground {
  key: string;
  name: string;
  /** A shipped file (`kind: 'file'`, absolute path) or a remote URL (`kind: 'url'`: fetch it with the SafeFetcher). */
  image: ImageSource;
  /** The same as one string, for `BackgroundSource.load(ref)`: the file's absolute path or the http(s) URL. */
  ref: string;
}

/** What a user sees of one background. */
export interface BackgroundView {
  bg: ShopBackground;
  owned: boolean;
  equipped: boolean;
  /** Can be bought now (listed, for sale, not owned). */
  buyable: boolean;
}

export type ShopBuyOutcome =
  | BuyResult
  | { ok: false; reason: 'unknown_key'; suggestion: string | null }
  | { ok: false; reason: 'not_for_sale'; bg: ShopBackground };

export class ShopService {
  constructor(
    readonly reads: Port<ShopReadStore>,
    readonly wallet: Port<WalletReadStore>,
    private readonly writer: Writer,
    readonly config: XpConfigHolder,
  ) {}

  get backgrounds(): ReadonlyMap<string, ShopBackground> {
    return this.config.current.shop.bgs;
  }

  /** A background by key (case-insensitive), including hidden and retired ones. */
  find(key: string): ShopBackground | undefined {
    return this.backgrounds.get(key.trim().toLowerCase());
  }

  /** The closest listed key (hidden keys are never suggested). */
  suggest(key: string): string | null {
    return closest(key.trim().toLowerCase(), [...this.backgrounds.values()].filter((b) => !b.hidden).map((b) => b.key));
  }

  /** The equipped background; the default when none is equipped or the equipped one left the config. */
  async equippedBackground(userId: string): Promise<EquippedBackground> {
    const key = await this.reads.equipped(userId, ITEM_TYPE.background);
    const bg = (key !== null ? this.backgrounds.get(key) : undefined) ?? this.backgrounds.get(DEFAULT_BACKGROUND_KEY)!;
    return { key: bg.key, name: bg.name, image: bg.image, ref: bg.image.kind === 'file' ? bg.image.path : bg.image.url };
  }

  async view(userId: string, bg: ShopBackground): Promise<BackgroundView> {
    const equippedKey = await this.equippedKey(userId);
    const owned = bg.key === DEFAULT_BACKGROUND_KEY || (await this.reads.owns(userId, ITEM_TYPE.background, bg.key));
    return { bg, owned, equipped: equippedKey === bg.key, buyable: !owned && !bg.hidden && bg.price >= 0 };
  }

  /** Browsing order: the listed backgrounds for sale, then the user's own retired or hidden ones (to equip them). */
  async browseList(userId: string): Promise<ShopBackground[]> {
    const owned = new Set((await this.reads.owned(userId, ITEM_TYPE.background)).map((o) => o.key));
    return [...this.backgrounds.values()].filter((b) => (!b.hidden && b.price >= 0) || owned.has(b.key));
  }

  /** The user's backgrounds: the default, then owned rows in purchase order (keys gone from the config included). */
  async owned(userId: string): Promise<{ key: string; bg: ShopBackground | null; equipped: boolean }[]> {
    const rows = await this.reads.owned(userId, ITEM_TYPE.background);
    const equippedKey = await this.equippedKey(userId);
    const def = { key: DEFAULT_BACKGROUND_KEY, bg: this.backgrounds.get(DEFAULT_BACKGROUND_KEY) ?? null, equipped: equippedKey === DEFAULT_BACKGROUND_KEY };
    return [def, ...rows.filter((r) => r.key !== DEFAULT_BACKGROUND_KEY).map((r) => ({ key: r.key, bg: this.backgrounds.get(r.key) ?? null, equipped: r.isUsing }))];
  }

  /** The equipped key as shown to users ('default' when nothing, or nothing known, is equipped). */
  async equippedKey(userId: string): Promise<string> {
    const key = await this.reads.equipped(userId, ITEM_TYPE.background);
    return key !== null && this.backgrounds.has(key) ? key : DEFAULT_BACKGROUND_KEY;
  }

  async balance(userId: string): Promise<number> {
    return this.wallet.balance(userId);
  }

  /** Buys and equips a background in one transaction. */
  async buy(userId: string, rawKey: string): Promise<ShopBuyOutcome & { bg?: ShopBackground }> {
    const bg = this.find(rawKey);
    if (!bg || bg.hidden) return { ok: false, reason: 'unknown_key', suggestion: this.suggest(rawKey) };
    if (bg.key === DEFAULT_BACKGROUND_KEY) return { ok: false, reason: 'already_owned' };
    if (bg.price < 0) {
      if (await this.reads.owns(userId, ITEM_TYPE.background, bg.key)) return { ok: false, reason: 'already_owned' };
      return { ok: false, reason: 'not_for_sale', bg };
    }
    const result = await this.writer.shop.buy({ userId, itemType: ITEM_TYPE.background, key: bg.key, price: bg.price, equip: true, note: `background ${bg.key}` });
    return { ...result, bg };
  }

  /** Equips an owned background ('default' goes back to the free one). */
  async use(userId: string, rawKey: string): Promise<{ ok: true; bg: ShopBackground; changed: boolean } | { ok: false; reason: 'unknown_key'; suggestion: string | null } | { ok: false; reason: 'not_owned'; bg: ShopBackground }> {
    const bg = this.find(rawKey);
    if (!bg) return { ok: false, reason: 'unknown_key', suggestion: this.suggest(rawKey) };
    const r = await this.writer.shop.equip(userId, ITEM_TYPE.background, bg.key === DEFAULT_BACKGROUND_KEY ? null : bg.key);
    if (!r.ok) return { ok: false, reason: 'not_owned', bg };
    return { ok: true, bg, changed: r.changed };
  }

  /** Gives a background (any key in the config, hidden ones included). */
  async give(userId: string, rawKey: string, note: string): Promise<{ ok: true; bg: ShopBackground } | { ok: false; reason: 'unknown_key'; suggestion: string | null } | { ok: false; reason: 'already_owned'; bg: ShopBackground }> {
    const bg = this.find(rawKey);
    if (!bg) return { ok: false, reason: 'unknown_key', suggestion: closest(rawKey.trim().toLowerCase(), this.backgrounds.keys()) };
    if (bg.key === DEFAULT_BACKGROUND_KEY) return { ok: false, reason: 'already_owned', bg };
    const r = await this.writer.shop.give(userId, ITEM_TYPE.background, bg.key, note);
    return r.ok ? { ok: true, bg } : { ok: false, reason: 'already_owned', bg };
  }

  /** The member's own card accent, or null (the server's default applies; DESIGN §4.2). */
  async accentOf(userId: string): Promise<string | null> {
    return this.reads.accent(userId);
  }

  async setAccent(userId: string, accent: string | null): Promise<void> {
    await this.writer.shop.setAccent(userId, accent);
  }
}
