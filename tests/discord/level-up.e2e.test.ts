/** Level-up side effects through the simulator: announcement modes, unmanageable roles, roles back on rejoin. */
import { afterEach, describe, expect, it } from 'vitest';
import { once } from 'node:events';
import { botWorld, type BotWorld } from '../helpers/bot.js';
import { defineCommand, type AnyCommand } from '../../src/discord/commands/types.js';

let w: BotWorld | undefined;
afterEach(async () => {
  await w?.teardown();
  w = undefined;
});

describe('level-up side effects', () => {
  it('given DM mode and a custom template then the member gets a DM and nothing is posted in the channel', async () => {
    w = await botWorld();
    await w.prefix(w.admin, '!unicornia guild levelupmessages dm');
    await w.prefix(w.admin, '!unicornia guild levelupmessage Well done {username}, level {level} in {guild}!');
    await w.prefix(w.admin, '!unicornia guild xppermessage 40');
    const dm = w.sim.nextDm(w.alice);
    const before = w.sim.messagesIn(w.general).length;
    await w.say(w.alice, 'hi');
    expect((await dm).content).toBe('**Unicorn Farm**: Well done alice, level 1 in Unicorn Farm!');
    await w.core.engine.idle();
    expect(w.sim.messagesIn(w.general).length).toBe(before + 1); // only alice's own message
  });

  it('given a fixed channel with ping on then the announcement goes there and pings the member', async () => {
    w = await botWorld();
    const levels = w.sim.createChannel(w.guildId, { name: 'levels' }).id;
    await w.prefix(w.admin, `!unicornia guild levelupmessages fixed <#${levels}> true`);
    await w.prefix(w.admin, '!unicornia guild xppermessage 40');
    const posted = w.sim.nextMessage(levels, { authorId: w.botId });
    const rest = w.sim.waitFor('rest', (r) => r.method === 'POST' && r.path === `/channels/${levels}/messages`);
    await w.say(w.bob, 'hi');
    expect((await posted).content).toContain(`<@${w.bob}> reached level **1**`);
    expect(((await rest).body as { allowed_mentions: unknown }).allowed_mentions).toEqual({ users: [w.bob] });
  });

  it('given off then level-ups are silent but rewards still apply', async () => {
    w = await botWorld();
    const role = w.sim.createRole(w.guildId, { name: 'One', position: 1 }).id;
    await w.prefix(w.admin, '!unicornia guild levelupmessages off');
    await w.prefix(w.admin, `!unicornia guild rolereward 1 <@&${role}>`);
    await w.prefix(w.admin, '!unicornia guild xppermessage 40');
    const before = w.sim.messagesIn(w.general).length;
    await w.say(w.bob, 'hi');
    await w.core.engine.idle();
    expect(w.sim.memberRoles(w.guildId, w.bob)).toEqual([role]);
    expect(w.sim.messagesIn(w.general).length).toBe(before + 1);
  });

  it('given a role above the bot or a managed role then admins see why in the reward list and the rest still applies', async () => {
    w = await botWorld();
    const high = w.sim.createRole(w.guildId, { name: 'Staff', position: 50 }).id;
    const managed = w.sim.createRole(w.guildId, { name: 'Booster', position: 1 }).id;
    const ok = w.sim.createRole(w.guildId, { name: 'Fine', position: 1 }).id;
    const added = await w.prefix(w.admin, `!unicornia guild rolereward 1 <@&${high}>`);
    expect(added.content).toContain("⚠️ But I can't manage that role yet: it is not below my highest role");
    await w.prefix(w.admin, `!unicornia guild rolereward 1 <@&${managed}>`);
    // A managed role is refused as a new reward; one that became managed later is listed with the reason.
    w.sim.updateRole(w.guildId, managed, { managed: true });
    await w.prefix(w.admin, `!unicornia guild rolereward 1 <@&${ok}>`);
    const list = await w.prefix(w.admin, '!unicornia guild rolerewards');
    expect(list.embeds[0]!.description).toContain(`give <@&${high}> — ⚠️ it is not below my highest role`);
    expect(list.embeds[0]!.description).toContain(`give <@&${managed}> — ⚠️ the role is managed by an integration`);
    expect(list.embeds[0]!.description).toMatch(new RegExp(`give <@&${ok}>$`, 'm'));
    await w.prefix(w.admin, '!unicornia guild xppermessage 40');
    await w.say(w.alice, 'hi');
    await w.core.engine.idle();
    expect(w.sim.memberRoles(w.guildId, w.alice)).toEqual([ok]);
  });

  it('given a member who rejoins then their reward roles come back (and not when the setting is off)', async () => {
    w = await botWorld();
    const role = w.sim.createRole(w.guildId, { name: 'Veteran', position: 1 }).id;
    await w.prefix(w.admin, `!unicornia guild rolereward 2 <@&${role}>`);
    w.core.engine.adjustXp(w.guildId, w.alice, { set: 100 });
    w.core.engine.adjustXp(w.guildId, w.bob, { set: 100 });
    await w.core.engine.idle();
    expect(w.sim.memberRoles(w.guildId, w.alice)).toEqual([role]);

    await w.leave(w.alice);
    const joined = once(w.bot.client, 'guildMemberAdd');
    const edited = w.sim.waitFor('memberUpdate', (m) => m.userId === w!.alice);
    w.sim.addMember(w.guildId, w.alice);
    await joined;
    await edited;
    expect(w.sim.memberRoles(w.guildId, w.alice)).toEqual([role]);

    await w.prefix(w.admin, '!unicornia guild rejoinroles false');
    await w.leave(w.bob);
    const bobJoined = once(w.bot.client, 'guildMemberAdd');
    w.sim.addMember(w.guildId, w.bob);
    await bobJoined;
    await w.core.writer.xp.setMembership(w.guildId, '1', true, 0); // after the listener's own write
    expect(w.sim.memberRoles(w.guildId, w.bob)).toEqual([]);
    expect(w.core.reads.userRow(w.guildId, w.bob)?.hasLeft).toBe(false);
  });

  it('given a slash level check then the answer is deferred and then edited with the card or embed', async () => {
    w = await botWorld();
    await w.say(w.alice, 'hello');
    const handle = w.sim.runSlashCommand({ guildId: w.guildId, channelId: w.general, userId: w.bob, name: 'level', subcommand: 'check', options: { user: w.alice } });
    const answer = await handle.reply();
    expect(handle.response.deferred).toBe(true);
    expect(answer.embeds[0]!.title).toBe('alice — level 0');
  });

  it('given an admin reset then reward roles follow the member down, and no currency moves', async () => {
    w = await botWorld();
    const role = w.sim.createRole(w.guildId, { name: 'Veteran', position: 1 }).id;
    await w.prefix(w.admin, `!unicornia guild rolereward 2 <@&${role}>`);
    await w.prefix(w.admin, '!unicornia guild currencyreward 2 10');
    await w.prefix(w.admin, `!unicornia guild xp set <@${w.alice}> 100`);
    await w.core.engine.idle();
    expect(w.sim.memberRoles(w.guildId, w.alice)).toEqual([role]);
    const reply = await w.prefix(w.admin, `!unicornia guild xp reset <@${w.alice}>`);
    expect(reply.content).toContain('level 2 → 0');
    await w.core.engine.idle();
    expect(w.sim.memberRoles(w.guildId, w.alice)).toEqual([]);
    expect(w.core.reads.balance(w.alice)).toBe(10);
    await w.prefix(w.admin, `!unicornia guild xp set <@${w.alice}> 100`); // back up: the role returns, level 2 is not paid again
    await w.core.engine.idle();
    expect(w.sim.memberRoles(w.guildId, w.alice)).toEqual([role]);
    expect(w.core.reads.balance(w.alice)).toBe(10);
  });

  it("given a level-up from voice in 'channel' mode then it is announced in the voice channel's chat", async () => {
    w = await botWorld();
    await w.prefix(w.admin, '!unicornia guild voicexp 40');
    await w.voice(w.alice, { channelId: w.lounge });
    await w.voice(w.bob, { channelId: w.lounge });
    const announced = w.sim.nextMessage(w.lounge, { authorId: w.botId });
    await w.scheduler.advance(60_000);
    expect((await announced).content).toMatch(/reached level \*\*1\*\*/);
  });

  it('given a slash command that takes longer than Discord waits then it is deferred and answered by an edit', async () => {
    const slow = defineCommand({
      path: ['slow', 'thing'],
      description: 'Takes two seconds',
      options: [] as const,
      example: {},
      permission: 'everyone',
      handler: async () => {
        await new Promise((r) => setTimeout(r, 2000));
        return { content: 'done' };
      },
    }) as AnyCommand;
    w = await botWorld({ extraCommands: [slow] });
    const handle = w.sim.runSlashCommand({ guildId: w.guildId, channelId: w.general, userId: w.alice, name: 'slow', subcommand: 'thing' });
    expect((await handle.reply({ timeoutMs: 5000 })).content).toBe('done');
    expect(handle.response.callbackTypes).toEqual([5]);
  });

  it('given bad announcement settings then they are refused with the reason, and a template is saved as typed', async () => {
    w = await botWorld();
    const cases: [string, string][] = [
      [`!unicornia guild levelupmessages fixed <#${w.category}>`, 'is a category; level-ups need a text channel'],
      [`!unicornia guild levelupmessages fixed <#${w.lounge}>`, 'is a voice channel'],
      [`!unicornia guild levelupmessages channel <#${w.general}>`, 'A channel only goes with mode `fixed`'],
      ['!unicornia guild levelupmessage "   "', 'The text is empty'],
      ['!unicornia guild levelupmessage GG {user}, level {levle}', 'Unknown placeholder `{levle}`'],
    ];
    for (const [line, expected] of cases) expect((await w.prefix(w.admin, line)).content, line).toContain(expected);
    expect((await w.core.engine.rules(w.guildId)).settings).toMatchObject({ announceMode: 'channel', announceTemplate: null });
    const saved = await w.prefix(w.admin, '!unicornia guild levelupmessage 🎉 "{user}"   is now\nlevel **{level}**!');
    expect(saved.content).toBe('✅ Level-up text saved; `levelup preview` shows a level-up as members will see it.');
    expect((await w.prefix(w.admin, '!unicornia guild levelupmessage preview 5')).content).toBe(`🎉 "<@${w.admin}>"   is now\nlevel **5**!`);
    expect((await w.core.engine.rules(w.guildId)).settings.announceTemplate).toBe('🎉 "{user}"   is now\nlevel **{level}**!');
    expect((await w.prefix(w.admin, '!unicornia guild levelupmessages dm yes')).content).toContain("in the member's DMs, mentioning the member");
  });

  it('given @everyone as a reward, a Markdown prefix, or a command in DMs then the answer says why', async () => {
    w = await botWorld();
    expect((await w.prefix(w.admin, `!unicornia guild rolereward 5 <@&${w.guildId}>`)).content).toContain('everyone has @everyone');
    expect((await w.prefix(w.admin, '!unicornia guild prefix **')).content).toContain('Markdown characters');
    expect((await w.core.engine.rules(w.guildId)).settings.prefix).toBeNull();
    const dm = w.sim.nextDm(w.alice);
    w.sim.sendDm({ userId: w.alice, content: '!level check' });
    expect((await dm).content).toBe('This command only works in a server.');
  });

  it('given a name that fits several roles or members then the command asks which one instead of guessing', async () => {
    w = await botWorld();
    w.sim.createRole(w.guildId, { name: 'dup', position: 1 });
    w.sim.createRole(w.guildId, { name: 'dup', position: 1 });
    expect((await w.prefix(w.admin, '!unicornia guild rolereward 5 dup')).content).toContain('`dup` matches 2 roles; mention the one you mean');
    expect((await w.core.engine.rules(w.guildId)).roleRewards).toEqual([]);
    expect((await w.prefix(w.admin, '!rank @alice')).embeds[0]?.title).toBe('alice — level 0');
  });
});
