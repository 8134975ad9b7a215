/** The bot end to end: the real discord.js client against the simulator, a real SQLite file, a manual clock. */
import { afterEach, describe, expect, it } from 'vitest';
import { botWorld, type BotWorld } from '../helpers/bot.js';
import { totalXpForLevel } from '../../src/levels/curve.js';

let w: BotWorld | undefined;

type Button = { custom_id: string; disabled?: boolean };
/** The buttons of a message, in order. */
function buttons(m: { components: unknown[] }): Button[] {
  return (m.components as { components: Button[] }[]).flatMap((row) => row.components);
}
afterEach(async () => {
  await w?.teardown();
  w = undefined;
});

describe('the bot, end to end', () => {
  it('given chat then members earn XP once per cooldown, and commands earn nothing', async () => {
    w = await botWorld();
    await w.say(w.alice, 'hello');
    await w.say(w.alice, 'spam inside the cooldown');
    expect(w.core.engine.xpOf(w.guildId, w.alice)).toBe(1);
    w.clock.advance(60_000);
    await w.say(w.alice, 'a minute later');
    expect(w.core.engine.xpOf(w.guildId, w.alice)).toBe(2);
    w.clock.advance(60_000);
    await w.prefix(w.bob, '!level check');
    expect(w.core.engine.xpOf(w.guildId, w.bob)).toBe(0); // a valid command is not chat
    await w.say(w.bob, '!notacommand');
    expect(w.core.engine.xpOf(w.guildId, w.bob)).toBe(1); // an unknown one is
  });

  it('given excluded channels and roles then their messages earn nothing', async () => {
    w = await botWorld();
    const muted = w.sim.createRole(w.guildId, { name: 'Muted' }).id;
    w.sim.setMemberRoles(w.guildId, w.bob, [muted]);
    const spam = w.sim.createChannel(w.guildId, { name: 'spam' }).id;
    expect((await w.prefix(w.admin, `!unicornia guild excludechannel <#${spam}>`)).content).toContain('no longer earns XP');
    expect((await w.prefix(w.admin, '!unicornia guild excluderole Muted')).content).toContain('no longer earns XP');
    await w.say(w.alice, 'in spam', spam);
    await w.say(w.bob, 'muted but chatting');
    expect(w.core.engine.xpOf(w.guildId, w.alice)).toBe(0);
    expect(w.core.engine.xpOf(w.guildId, w.bob)).toBe(0);
    await w.say(w.alice, 'in general');
    expect(w.core.engine.xpOf(w.guildId, w.alice)).toBe(1);
  });

  it('given members in voice then each minute pays voice XP, except to the deafened and to someone alone', async () => {
    w = await botWorld();
    await w.voice(w.alice, { channelId: w.lounge });
    await w.voice(w.bob, { channelId: w.lounge, selfDeaf: true });
    await w.scheduler.advance(60_000);
    expect(w.core.engine.xpOf(w.guildId, w.alice)).toBe(0); // alone with a deafened member
    await w.voice(w.bob, { channelId: w.lounge, selfDeaf: false });
    await w.scheduler.advance(120_000);
    expect(w.core.engine.xpOf(w.guildId, w.alice)).toBe(2);
    expect(w.core.engine.xpOf(w.guildId, w.bob)).toBe(2);
  });

  it('given a level-up then it is announced without a ping and reward roles are added and removed one role per call (no whole-list edit)', async () => {
    w = await botWorld();
    const novice = w.sim.createRole(w.guildId, { name: 'Novice', position: 1 }).id;
    const expert = w.sim.createRole(w.guildId, { name: 'Expert', position: 1 }).id;
    await w.prefix(w.admin, `!unicornia guild rolereward 1 <@&${novice}>`);
    await w.prefix(w.admin, `!unicornia guild rolereward 2 <@&${novice}> remove`);
    await w.prefix(w.admin, `!unicornia guild rolereward 2 <@&${expert}>`);
    await w.prefix(w.admin, '!unicornia guild currencyreward 2 50');
    await w.prefix(w.admin, '!unicornia guild xppermessage 100');
    const announced = w.sim.waitFor('message', (m) => m.authorId === w!.botId && m.content.includes('reached level'));
    const posted = w.sim.waitFor('rest', (r) => r.method === 'POST' && String((r.body as { content?: string } | null)?.content).includes('reached level'));
    const edits = w.sim.restLog.length;
    await w.say(w.alice, 'level me up');
    const msg = await announced;
    expect(msg.content).toContain(`<@${w.alice}> reached level **2**`);
    expect(msg.content).toContain('Roles gained: Expert');
    expect(msg.content).toContain('+50');
    expect(((await posted).body as { allowed_mentions: unknown }).allowed_mentions).toEqual({ parse: [] }); // no ping by default
    await w.core.engine.idle();
    expect(w.sim.memberRoles(w.guildId, w.alice)).toEqual([expert]);
    const roleEdits = w.sim.restLog.slice(edits).filter((r) => r.route?.includes('/members/') && r.method !== 'GET');
    expect(roleEdits.map((r) => `${r.method} ${r.path.split('/').at(-1)}`).sort()).toEqual([`DELETE ${novice}`, `PUT ${expert}`].sort());
    expect(w.core.reads.balance(w.alice)).toBe(50);
  });

  it('given a restart then XP is kept (the final flush wrote it) and unchanged slash commands are not re-registered', async () => {
    w = await botWorld();
    await w.say(w.alice, 'hello');
    await w.prefix(w.admin, `!unicornia guild xp add <@${w.bob}> 500`);
    expect(w.sim.commandRegistrations).toBe(1);
    await w.restart();
    expect(w.sim.commandRegistrations).toBe(1);
    expect(w.core.engine.xpOf(w.guildId, w.alice)).toBe(1);
    expect(w.core.engine.xpOf(w.guildId, w.bob)).toBe(500);
    expect(w.core.reads.userRow(w.guildId, w.bob)?.awardedXp).toBe(500);
  });

  it('given a non-admin then admin commands are refused and nothing changes', async () => {
    w = await botWorld();
    const reply = await w.prefix(w.alice, '!unicornia guild xpenabled false');
    expect(reply.content).toContain('Manage Server');
    expect((await w.core.engine.rules(w.guildId)).settings.xpEnabled).toBe(true);
    // Discord does not even show /unicornia to members without Manage Server (default_member_permissions).
    expect(() => w!.sim.runSlashCommand({ guildId: w!.guildId, channelId: w!.general, userId: w!.alice, name: 'unicornia', subcommandGroup: 'xp', subcommand: 'enabled', options: { enabled: false } })).toThrow(/default_member_permissions/);
    expect((await w.core.engine.rules(w.guildId)).settings.xpEnabled).toBe(true);
    // The bot owner counts as admin everywhere.
    expect((await w.prefix(w.owner, '!unicornia guild xpenabled false')).content).toContain('XP is off');
  });

  it('given bad arguments then the reply says what is wrong and how to write it, and nothing changes', async () => {
    w = await botWorld();
    const cases: [string, RegExp][] = [
      ['!unicornia guild cooldown soon', /must be a whole number.*\n.*Usage: `!unicornia xp cooldown <value>`/s],
      ['!unicornia guild cooldown -5', /at least 0/],
      ['!unicornia guild cooldown', /Missing `value`/],
      ['!unicornia guild rolereward 5 @nobody', /can't find the role/],
      ['!unicornia guild xp add', /Missing `user`/],
      ['!unicornia guild levelupmessages sometimes', /must be one of `off`, `channel`, `fixed`, `dm`/],
      ['!unicornia guild levelupmessages fixed', /needs a channel/],
      ['!unicornia guild xpenabled maybe', /true or false/],
      ['!unicornia guild curve 0 27', /at least 1/],
      ['!level check nobody-here', /can't find the user/],
    ];
    for (const [line, expected] of cases) {
      const reply = await w.prefix(w.admin, line);
      expect(reply.content, line).toMatch(expected);
      expect(reply.content).not.toMatch(/at .*\.ts:\d+/); // no stack traces
    }
    expect((await w.core.engine.rules(w.guildId)).settings).toMatchObject({ cooldownSeconds: 60, announceMode: 'channel', curve: { a: 9, c: 27 } });
    const group = await w.prefix(w.admin, '!unicornia guild');
    expect(group.content).toContain('`!unicornia xp cooldown <value>`');
    const typo = await w.prefix(w.admin, '!unicornia guildd cooldown 5');
    expect(typo.content).toBe('There is no `!unicornia guildd cooldown`. Did you mean `!unicornia guild`?');
    const newTypo = await w.prefix(w.admin, '!unicornia xp cooldwn 5');
    expect(newTypo.content).toBe('There is no `!unicornia xp cooldwn`. Did you mean `!unicornia xp cooldown`?');
    const huge = await w.prefix(w.admin, `!unicornia guild xppermessage 5 ${'z'.repeat(1990)}`);
    expect(huge.content).toContain("I don't know what to do with `zzzz");
    expect(huge.content.length).toBeLessThan(300);
    const slash = await w.slash(w.admin, { name: 'levelup', subcommand: 'where', options: { mode: 'fixed' } });
    expect(slash.content).toContain('Usage: `/levelup where mode:fixed channel:#channel`');
  });

  it('given the leaderboard then pages move with buttons, only the invoker may press, and buttons die on timeout', async () => {
    w = await botWorld();
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) {
      const id = w.sim.createUser({ username: `member${i}` }).id;
      w.sim.addMember(w.guildId, id);
      ids.push(id);
      w.core.engine.adjustXp(w.guildId, id, { set: 1000 - i * 10 });
    }
    w.core.engine.adjustXp(w.guildId, w.alice, { set: 5 }); // last place: page 3
    const beyond = await w.prefix(w.bob, '!lb 99');
    expect(beyond.content).toBe('There are only 3 pages; here is page 3.');
    const first = await w.prefix(w.alice, '!lb');
    expect(first.embeds[0]!.description).toContain(`**#1** <@${ids[0]}>`);
    expect(first.embeds[0]!.footer?.text).toBe('Page 1 / 3');
    const customIds = buttons(first).map((b) => b.custom_id);
    expect(customIds.map((id) => id.split(':').pop())).toEqual(['prev', 'next', 'me']);
    const [prevId, nextId, meId] = customIds as [string, string, string];

    const next = await w.sim.pressButton({ messageId: first.id, customId: nextId, userId: w.alice }).reply();
    expect(next.embeds[0]!.footer?.text).toBe('Page 2 / 3');
    expect(next.embeds[0]!.description).toContain(`**#11** <@${ids[10]}>`);

    const stranger = await w.sim.pressButton({ messageId: first.id, customId: nextId, userId: w.bob }).reply();
    expect(stranger.content).toContain(`Only <@${w.alice}> can use these buttons`);
    expect(w.sim.message(first.id)!.embeds[0]!.footer?.text).toBe('Page 2 / 3');

    const me = await w.sim.pressButton({ messageId: first.id, customId: meId, userId: w.alice }).reply();
    expect(me.embeds[0]!.description).toContain(`**#26** <@${w.alice}>`);

    await w.scheduler.advance(180_000);
    await w.sim.waitUntil(() => buttons(w!.sim.message(first.id)!).every((b) => b.disabled));

    // A shutdown disables the buttons of every open session (they would not work after a restart).
    const other = await w.prefix(w.bob, '!lb');
    expect(buttons(other).some((b) => !b.disabled)).toBe(true);
    await w.restart();
    expect(buttons(w.sim.message(other.id)!).every((b) => b.disabled)).toBe(true);
    expect(prevId).toMatch(/prev$/);
  });

  it('given the rank on a card and the leaderboard then they agree, including unflushed XP and members who left', async () => {
    w = await botWorld();
    w.core.engine.adjustXp(w.guildId, w.alice, { set: 300 });
    w.core.engine.adjustXp(w.guildId, w.bob, { set: 200 });
    w.core.engine.adjustXp(w.guildId, w.admin, { set: 100 });
    const check = await w.prefix(w.admin, '!rank');
    expect(check.embeds[0]!.fields?.find((f) => f.name === 'Rank')?.value).toBe('#3');
    await w.leave(w.alice);
    const again = await w.prefix(w.admin, '!rank');
    expect(again.embeds[0]!.fields?.find((f) => f.name === 'Rank')?.value).toBe('#2');
    const lb = await w.prefix(w.admin, '!lb');
    expect(lb.embeds[0]!.description).not.toContain(w.alice);
    expect(lb.embeds[0]!.description).toContain(`**#2** <@${w.admin}>`);
    expect(totalXpForLevel(1)).toBe(36);
  });

  it('given a member who leaves before their XP is written then they stay off the leaderboard, and admins cannot give XP to non-members', async () => {
    w = await botWorld();
    await w.say(w.bob, 'hi, bye');
    await w.leave(w.bob);
    await w.core.flusher.flush();
    const lb = await w.prefix(w.admin, '!lb');
    expect(lb.embeds[0]!.description).not.toContain(w.bob);
    expect(w.core.reads.userRow(w.guildId, w.bob)).toMatchObject({ xp: 1, hasLeft: true });
    const refused = await w.prefix(w.admin, `!unicornia guild xp add <@${w.bob}> 100`);
    expect(refused.content).toContain('is not a member of this server');
    expect(w.core.engine.xpOf(w.guildId, w.bob)).toBe(1);
  });

  it('given members who left while the bot was offline then the leaderboard hides them after a restart', async () => {
    w = await botWorld();
    w.core.engine.adjustXp(w.guildId, w.alice, { set: 300 });
    w.core.engine.adjustXp(w.guildId, w.bob, { set: 200 });
    await w.bot.stop();
    w.sim.removeMember(w.guildId, w.alice); // nobody is connected to see it
    await w.restart({ alreadyStopped: true });
    const lb = await w.prefix(w.admin, '!lb');
    expect(lb.embeds[0]!.description).not.toContain(w.alice);
    expect(lb.embeds[0]!.description).toContain(`**#1** <@${w.bob}>`);
  });
});
