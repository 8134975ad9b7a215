/**
 * Level-up messages as admins design them (DESIGN §2.4.3), through the simulator: the embed form and its parts, the
 * {rank} and {nextreward} placeholders, texts of their own for single levels, the worst-case check of every template
 * against Discord's limits when it is saved, and `levelup preview` showing exactly what a real level-up sends.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { botWorld, withoutSendMessages, type BotWorld } from '../helpers/bot.js';

let w: BotWorld | undefined;
afterEach(async () => {
  await w?.teardown();
  w = undefined;
});

const settingsOf = async (w: BotWorld) => (await w.core.engine.rules(w.guildId)).settings;

describe('level-up message design', () => {
  it('given the embed style with a title, colour, footer and placeholders then the level-up is that embed, and the preview is the same message', async () => {
    w = await botWorld();
    const expert = w.sim.createRole(w.guildId, { name: 'Expert', position: 1 }).id;
    await w.prefix(w.admin, `!rewards role 5 <@&${expert}>`);
    await w.prefix(w.admin, '!rewards currency 5 250');
    await w.prefix(w.admin, '!levelup style embed');
    await w.prefix(w.admin, '!levelup title {username} levelled up!');
    await w.prefix(w.admin, '!levelup color #F59E0B');
    await w.prefix(w.admin, '!levelup footer {guild} · rank {rank}');
    const saved = await w.prefix(w.admin, '!levelup message GG {user}, level {level}! Next: {nextreward}');
    expect(saved.content).toBe('✅ Level-up text saved; `levelup preview` shows a level-up as members will see it.');
    await w.prefix(w.admin, '!unicornia xp permessage 40');
    w.core.engine.adjustXp(w.guildId, w.bob, { set: 100 });

    const preview = await w.prefix(w.admin, '!levelup preview');
    const posted = w.sim.waitFor('message', (m) => m.channelId === w!.general && m.authorId === w!.botId && m.embeds.length > 0 && !m.reference);
    await w.say(w.admin, 'hello');
    const real = await posted;
    expect(real.embeds[0]).toMatchObject({
      title: 'admin levelled up!',
      description: `GG <@${w.admin}>, level 1! Next: Expert and 250 🦄 at level 5`,
      color: 0xf59e0b,
      footer: { text: 'Unicorn Farm · rank 2' },
    });
    expect(real.embeds[0]!.thumbnail?.url).toMatch(/^https?:\/\/.+\.png/);
    expect(real.content).toBe('');
    expect(preview.embeds).toEqual(real.embeds);
    expect(preview.content).toBe('');
  });

  it('given a fixed channel the bot cannot post in then the admin is told when choosing it, the choice is saved, and with the permission back there is no warning', async () => {
    const v = (w = await botWorld());
    const restore = await withoutSendMessages(v);

    const told = await v.slash(v.admin, { name: 'levelup', subcommand: 'where', options: { mode: 'fixed', channel: v.general } });
    expect(told.content).toBe(
      `✅ Level-ups are announced in <#${v.general}>, without pinging anyone.\n⚠️ But I can't post in <#${v.general}>: I lack the Send Messages permission there. Level-ups are not announced until that is fixed.`,
    );
    expect(await settingsOf(v)).toMatchObject({ announceMode: 'fixed', announceChannelId: v.general });

    await restore();
    const fine = await v.prefix(v.admin, `!levelup where fixed <#${v.general}>`);
    expect(fine.content).toBe(`✅ Level-ups are announced in <#${v.general}>, without pinging anyone.`);
  });

  it('given a template whose worst case is over a Discord limit then it is refused with the numbers and nothing changes', async () => {
    w = await botWorld();
    const title = await w.prefix(w.admin, `!levelup title ${'{guild}'.repeat(3)}`);
    expect(title.content).toContain('✅');
    const long = await w.prefix(w.admin, `!levelup title ${'{nextreward}'.repeat(3)}`);
    expect(long.content).toContain('✅'); // the title only counts in embed style ...
    const style = await w.prefix(w.admin, '!levelup style embed');
    expect(style.content).toBe('The embed title can reach 360 characters; Discord allows 256. Nothing was changed.\n' + style.content.split('\n')[1]);
    expect(style.content).toContain('`{nextreward}` 120');
    expect((await settingsOf(w)).announceStyle).toBe('text');
    await w.prefix(w.admin, '!levelup title default');

    // 1 700 characters of text fit as plain text; 1 700 plus a server name do not.
    expect((await w.prefix(w.admin, `!levelup message ${'x'.repeat(1700)}`)).content).toContain('✅');
    const tooLong = await w.prefix(w.admin, `!levelup message {guild}${'x'.repeat(1701)}`);
    expect(tooLong.content).toMatch(/^As plain text, the level-up text can reach 1,801 characters; Discord allows 2 000 per message, so keep it to 1,800/);
    expect((await settingsOf(w)).announceTemplate).toBe('x'.repeat(1700));
    // As an embed the text may be longer (4 096) — but then plain text is refused until it is shortened.
    await w.prefix(w.admin, '!levelup style embed');
    // (A typed message holds 2 000 characters at most; slash options hold more.)
    const slash = (sub: string, options: Record<string, string>) => w!.slash(w!.admin, { name: 'levelup', subcommand: sub, options });
    expect((await slash('message', { template: `{guild}${'y'.repeat(3600)}` })).content).toContain('✅');
    expect((await w.prefix(w.admin, '!levelup style text')).content).toMatch(/^As plain text, the level-up text can reach 3,700 characters/);
    expect((await settingsOf(w)).announceStyle).toBe('embed');
    // Title, text and footer within their own limits but over 6 000 together.
    const footer = await slash('footer', { footer: 'z'.repeat(2040) });
    expect(footer.content).toMatch(/^Title, text and footer together can reach 5,749 characters, and 407 are kept for the reward field and the server's name in DMs; Discord allows 6,000 in all\. Nothing was changed\./);
    expect((await settingsOf(w)).announceFooter).toBeNull();
    const unknown = await w.prefix(w.admin, '!levelup footer {server} {level}');
    expect(unknown.content).toContain('Unknown placeholder `{server}`');
  });

  it('given pings on in embed style then the mention is in the content (embeds never ping); in DMs the embed names the server', async () => {
    w = await botWorld();
    await w.prefix(w.admin, '!levelup where channel true');
    await w.prefix(w.admin, '!levelup style embed');
    await w.prefix(w.admin, '!levelup thumbnail false');
    await w.prefix(w.admin, '!unicornia xp permessage 40');
    const posted = w.sim.nextMessage(w.general, { authorId: w.botId });
    await w.say(w.alice, 'hi');
    const m = await posted;
    expect(m.content).toBe(`<@${w.alice}>`);
    expect(m.embeds[0]).toMatchObject({ title: 'Level up!', description: `🎉 <@${w.alice}> reached level **1**!`, color: 0x8b5cf6 });
    expect(m.embeds[0]!.thumbnail).toBeUndefined();

    await w.prefix(w.admin, '!levelup where dm');
    const dm = w.sim.nextDm(w.bob);
    await w.say(w.bob, 'hi');
    expect((await dm).embeds[0]).toMatchObject({ author: { name: 'Unicorn Farm' }, description: `🎉 <@${w.bob}> reached level **1**!` });
  });

  it('given texts of their own at levels 2 and 3 then a jump over both sends level 3\'s, one level sends its own, others the server\'s; preview, levels and settings show them', async () => {
    w = await botWorld();
    expect((await w.prefix(w.admin, '!levelup level 2 Two for {user}')).content).toMatch(/^✅ Members reaching level 2 get this text/);
    await w.prefix(w.admin, '!levelup level 3 Level {level}: bronze for {username}');
    const next = () => w!.sim.nextMessage(w!.general, { authorId: w!.botId });
    // 0 → 3 in one message (135 XP reach level 3): levels 2 and 3 both have a text; the highest wins.
    await w.prefix(w.admin, '!unicornia xp permessage 150');
    let posted = next();
    await w.say(w.alice, 'hi');
    expect((await posted).content).toBe('Level 3: bronze for alice');
    // 0 → 2 (81 XP): level 2's own text.
    await w.prefix(w.admin, '!unicornia xp permessage 81');
    posted = next();
    await w.say(w.bob, 'hi');
    expect((await posted).content).toBe(`Two for <@${w.bob}>`);
    // 0 → 1: no level with a text is crossed, so the server's.
    await w.prefix(w.admin, '!unicornia xp permessage 40');
    posted = next();
    await w.say(w.admin, 'hi');
    expect((await posted).content).toBe(`🎉 <@${w.admin}> reached level **1**!`);

    expect((await w.prefix(w.admin, '!levelup preview 3')).content).toBe('Level 3: bronze for admin');
    expect((await w.prefix(w.admin, '!levelup preview 4')).content).toBe(`🎉 <@${w.admin}> reached level **4**!`);
    const levels = (await w.prefix(w.admin, '!levelup levels')).embeds[0]!;
    expect(levels.description).toBe('**Level 2**: Two for {user}\n**Level 3**: Level {level}: bronze for {username}');
    const field = async () => (await w!.prefix(w!.admin, '!unicornia settings')).embeds[0]!.fields!.find((f) => f.name === 'Level-up messages')?.value;
    expect(await field()).toBe('same channel, default text, own text at levels 2, 3, plain text');
    await w.restart();
    expect([...(await w.core.engine.rules(w.guildId)).levelUpMessages.keys()]).toEqual([2, 3]);

    // Per-level texts take part in the whole design's worst-case check, both when saved and when the style changes.
    const tooLong = await w.prefix(w.admin, `!levelup level 5 {guild}${'x'.repeat(1701)}`);
    expect(tooLong.content).toMatch(/^As plain text, the longest level-up text can reach 1,801 characters; Discord allows 2 000 per message/);
    await w.prefix(w.admin, '!levelup style embed');
    expect((await w.slash(w.admin, { name: 'levelup', subcommand: 'level', options: { level: 5, template: `{guild}${'y'.repeat(3600)}` } })).content).toContain('✅');
    expect((await w.prefix(w.admin, '!levelup style text')).content).toMatch(/^As plain text, the longest level-up text can reach 3,700 characters/);
    expect((await w.core.engine.rules(w.guildId)).settings.announceStyle).toBe('embed');

    expect((await w.prefix(w.admin, '!levelup level 2 default')).content).toBe("✅ Level 2 uses the server's level-up text again.");
    expect((await w.prefix(w.admin, '!levelup level 2 default')).content).toBe('Level 2 has no level-up text of its own.');
    expect((await w.prefix(w.admin, '!levelup level 0 hi')).content).toContain('`level` must be at least 1.');
    expect([...(await w.core.engine.rules(w.guildId)).levelUpMessages.keys()]).toEqual([3, 5]);
  });

  it('given 50 levels with a text then a 51st is refused with the range, and replacing one still works', async () => {
    w = await botWorld();
    for (let level = 1; level <= 50; level++) await w.core.writer.xp.setLevelUpMessage(w.guildId, level, `L${level}`);
    w.core.engine.reloadGuild(w.guildId);
    expect((await w.prefix(w.admin, '!levelup level 51 one more')).content).toBe('A server may keep at most 50 per-level texts (1–50); remove one with `levelup level <n> default` first. Nothing was changed.');
    expect((await w.prefix(w.admin, '!levelup level 50 fifty')).content).toContain('✅');
    expect((await w.core.engine.rules(w.guildId)).levelUpMessages.get(50)).toBe('fifty');
    expect((await w.core.engine.rules(w.guildId)).levelUpMessages.has(51)).toBe(false);
  });

  it('given every design setting changed then settings shows them and "default" puts each back', async () => {
    w = await botWorld();
    await w.prefix(w.admin, '!levelup style embed');
    await w.prefix(w.admin, '!levelup title none');
    await w.prefix(w.admin, '!levelup color #abc');
    await w.prefix(w.admin, '!levelup thumbnail false');
    await w.prefix(w.admin, '!levelup footer {guild}');
    await w.prefix(w.admin, '!levelup message Hi {user}');
    const field = async () => (await w!.prefix(w!.admin, '!unicornia settings')).embeds[0]!.fields!.find((f) => f.name === 'Level-up messages')?.value;
    expect(await field()).toBe('same channel, custom text, embed (no title, #aabbcc, avatar off, footer)');
    await w.restart();
    expect(await settingsOf(w)).toMatchObject({ announceStyle: 'embed', announceTitle: '', announceColor: 0xaabbcc, announceThumbnail: false, announceFooter: '{guild}' });
    for (const line of ['style text', 'title default', 'color default', 'thumbnail true', 'footer none', 'message default']) await w.prefix(w.admin, `!levelup ${line}`);
    expect(await field()).toBe('same channel, default text, plain text');
    expect(await settingsOf(w)).toMatchObject({ announceStyle: 'text', announceTitle: null, announceColor: null, announceThumbnail: true, announceFooter: null, announceTemplate: null });
    expect((await w.prefix(w.admin, '!levelup color blue')).content).toBe('`blue` is not a colour: write it as #rrggbb or #rgb (e.g. #f59e0b), or `default`.');
  });
});
