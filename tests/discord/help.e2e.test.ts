/**
 * `help` through the simulator, prefix and slash: it lists what the caller may use (members never see admin or
 * owner commands; DMs only what works there), grouped, one line each, and `help <command>` gives usage, options
 * and an example in the caller's form, for new names and old aliases alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botWorld, type BotWorld } from '../helpers/bot.js';
import type { SimMessage } from '../../src/simulator/index.js';

/** Every page's text: help answers with ◀ ▶ when it needs more than one page. */
async function allPages(w: BotWorld, first: SimMessage, userId: string): Promise<string> {
  const texts = [first.embeds[0]!.description ?? ''];
  let message = first;
  for (;;) {
    const buttons = (message.components as { components?: { custom_id?: string; disabled?: boolean }[] }[]).flatMap((r) => r.components ?? []);
    const next = buttons.find((c) => c.custom_id?.endsWith(':next'));
    if (!next || next.disabled) break;
    message = await w.sim.pressButton({ messageId: message.id, customId: next.custom_id!, userId }).reply();
    texts.push(message.embeds[0]!.description ?? '');
  }
  return texts.join('\n');
}

describe('help', () => {
  let w: BotWorld;
  beforeAll(async () => {
    w = await botWorld();
  });
  afterAll(async () => {
    await w.teardown();
  });

  it('given a member then help lists the member commands grouped, one line each, and no admin or owner command', async () => {
    const text = await allPages(w, await w.prefix(w.alice, '!help'), w.alice);
    expect(text).toContain('**Levels**\n`!level check` — Show a member');
    expect(text).toContain('**Clubs**');
    expect(text).toContain('`!xpshop buy` — ');
    // No admin top-level command at all (DESIGN §3.1: XP settings, rewards, level-ups, the server's data).
    for (const admin of ['unicornia', '!rewards', '!levelup', '!server']) expect(text).not.toContain(admin);
    expect(text).not.toContain('xpshop reload'); // bot owner only
    expect(text).not.toContain('wallet give');
    const slash = await w.slash(w.alice, { name: 'help' });
    const slashText = await allPages(w, slash, w.alice);
    expect(slashText).toContain('`/level check` — ');
    for (const admin of ['unicornia', '/rewards', '/levelup', '/server']) expect(slashText).not.toContain(admin);
  });

  it('given an admin then help adds the admin groups; the bot owner also sees owner commands', async () => {
    const text = await allPages(w, await w.prefix(w.admin, '!help'), w.admin);
    expect(text).toContain('**Rewards**\n`!rewards role` — Give (or take away) a role');
    expect(text).toContain('**XP settings · exclusions**\n`!unicornia exclusions addchannel` — ');
    expect(text).toContain('**Level-up messages**\n`!levelup where` — ');
    expect(text).toContain('**Server · data**\n`!server data export` — ');
    expect(text).not.toContain('xpshop reload');
    const owner = await allPages(w, await w.prefix(w.owner, '!help'), w.owner);
    expect(owner).toContain('`!xpshop reload` — ');
    expect(owner).toContain('`!unicornia xp rate` — ');
  });

  it('given a command, new or old name, then help shows usage, options, an example and its other names', async () => {
    const byAlias = await w.prefix(w.alice, '!help xp');
    const embed = byAlias.embeds[0]!;
    expect(embed.title).toBe('!level check [user] [alltime|week|lastweek|month|lastmonth|season]');
    const field = (name: string) => embed.fields?.find((f) => f.name === name)?.value;
    expect(field('Example')).toBe('`!level check @alice`');
    expect(field('Options')).toBe('`user` (optional) — Whose card (default: yours)\n`period` (optional) — alltime (default), week, lastweek, month, lastmonth or season');
    expect(field('Also answers to')).toBe('`!level`, `!xp`, `!rank`');
    const old = await w.slash(w.admin, { name: 'help', options: { command: 'unicornia guild rolereward' } });
    const admin = old.embeds[0]!;
    expect(admin.title).toBe('/rewards role level:<level> role:<role> [action:give|remove|delete] [mode:stack|replace|default]');
    expect(admin.fields?.find((f) => f.name === 'Example')?.value).toBe('`/rewards role level:10 role:@Regular action:give mode:replace`');
    expect(admin.fields?.find((f) => f.name === 'As a text command')?.value).toBe('`!rewards role <level> <role> [give|remove|delete] [stack|replace|default]`');
    expect(admin.fields?.find((f) => f.name === 'Also answers to')?.value).toBe('`!unicornia rewards role`, `!unicornia guild rolereward`');
    // A member may read an admin command's help; it says they cannot use it.
    const member = await w.prefix(w.alice, '!help /unicornia xp rate');
    expect(member.embeds[0]!.fields?.find((f) => f.name === 'Who')?.value).toContain('Not you, here: You need the Manage Server permission');
  });

  it('given a group, a typo or nothing known then help lists the group, suggests, or says so', async () => {
    const group = await w.prefix(w.admin, '!help unicornia xp');
    expect(group.embeds[0]!.description).toContain('`!unicornia xp cooldown` — ');
    // The group a command left still lists it, under its new name.
    expect((await w.prefix(w.admin, '!help unicornia levelup')).embeds[0]!.description).toContain('`!levelup preview` — ');
    expect((await w.prefix(w.admin, '!help unicornia rewardz')).content).toBe('There is no command `unicornia rewardz`. Did you mean `!unicornia rewards`? `!help` lists them all.');
    expect((await w.prefix(w.alice, '!help dance')).content).toBe('There is no command `dance`. `!help` lists them all.');
  });

  it('given a DM then help lists only what works in DMs', async () => {
    const dm = w.sim.nextDm(w.alice);
    w.sim.sendDm({ userId: w.alice, content: '!help' });
    const reply = await dm;
    const text = reply.embeds[0]!.description ?? '';
    expect(text).toContain('`!balance` — ');
    expect(text).toContain('`!club join` — ');
    expect(text).not.toContain('level check');
    expect(reply.embeds[0]!.footer?.text).toContain('More commands work in a server.');
  });
});
