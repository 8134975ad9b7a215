/**
 * Curve presets, the preview and the confirmed change through the simulator: the preview changes nothing; Apply
 * re-levels members through the normal level-change path (roles follow, currency paid once and never taken back).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { botWorld, type BotWorld } from '../helpers/bot.js';
import type { SimMessage } from '../../src/simulator/index.js';
import { XpCardService } from '../../src/discord/xp-card.js';
import { silentLogger } from '../../src/util/logger.js';
import { NADEKO_CURVE, totalXpForLevel } from '../../src/levels/curve.js';

let w: BotWorld | undefined;
afterEach(async () => {
  await w?.teardown();
  w = undefined;
});

function buttons(m: SimMessage): { custom_id: string; label: string; disabled?: boolean }[] {
  return (m.components ?? []).flatMap((row) => (row as { components: { custom_id: string; label: string; disabled?: boolean }[] }).components);
}

/** alice at Nadeko level 10 (765 XP), bob at level 3 (135 XP); Bronze at 2, Silver at 5, 100 currency at level 5. */
async function world(cards = false): Promise<{ w: BotWorld; bronze: string; silver: string }> {
  const world = await botWorld(cards ? { cards: XpCardService.create(silentLogger, { renderer: { size: 1 } }) } : {});
  const bronze = world.sim.createRole(world.guildId, { name: 'Bronze', position: 1 }).id;
  const silver = world.sim.createRole(world.guildId, { name: 'Silver', position: 1 }).id;
  await world.prefix(world.admin, `!rewards role 2 <@&${bronze}>`);
  await world.prefix(world.admin, `!rewards role 5 <@&${silver}>`);
  await world.prefix(world.admin, '!rewards currency 5 100');
  await world.prefix(world.admin, `!unicornia xp set <@${world.alice}> ${totalXpForLevel(10, NADEKO_CURVE)}`);
  await world.prefix(world.admin, `!unicornia xp set <@${world.bob}> ${totalXpForLevel(3, NADEKO_CURVE)}`);
  await world.core.engine.idle();
  await world.bot.app.roleQueue.idle();
  return { w: world, bronze, silver };
}

async function press(world: BotWorld, message: SimMessage, label: string): Promise<SimMessage> {
  const id = buttons(message).find((b) => b.label === label)!.custom_id;
  const answer = await world.sim.pressButton({ messageId: message.id, customId: id, userId: world.admin }).reply();
  await world.bot.app.passes.idle();
  await world.core.engine.idle();
  await world.bot.app.roleQueue.idle();
  return answer;
}

describe('curve presets', () => {
  it('given a preview then it counts members and reward roles that would move, draws both curves, and changes nothing', async () => {
    const f = await world(true);
    w = f.w;
    // The first chart starts the render worker (fonts, canvas): out of the 5 s a reply may take on a loaded machine.
    await w.bot.app.cards!.curveChart({ template: w.bot.app.config.current.card, title: 'warm-up', subtitle: null, xLabel: 'Level', yLabel: 'XP', labels: ['0'], series: [{ name: 'x', values: [1] }] });
    const reply = await w.prefix(w.admin, '!unicornia curve preview mee6');
    const text = reply.embeds[0]!.description!;
    expect(text).toContain('**Today:** Nadeko (9L + 36 XP per level)');
    expect(text).toContain('**New:** MEE6 (5L² + 50L + 100 XP per level)');
    expect(text).toContain('Of 2 members, **0** would go up a level or more and **2** down');
    expect(text).toContain(`<@&${f.bronze}>: −1 members`); // bob 3 → 1
    expect(text).toContain(`<@&${f.silver}>: −1 members`); // alice 10 → 3
    expect(buttons(reply)).toEqual([]);
    expect(reply.attachments.map((a) => a.filename)).toEqual(['curve.png']);
    const png = reply.attachments[0]!.data;
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([640 * 2, 360 * 2]); // the chart at the card's scale 2
    expect(reply.embeds[0]!.image?.url).toBe('attachment://curve.png');
    expect((await w.core.engine.rules(w.guildId)).settings.curve).toEqual(NADEKO_CURVE);

    const slash = await w.slash(w.admin, { name: 'unicornia', subcommandGroup: 'curve', subcommand: 'preview', options: { curve: '1', c: 0 } });
    expect(slash.embeds[0]!.description).toContain('**New:** custom a=1, c=0 (1L + 1 XP per level)');
    const bad = await w.prefix(w.admin, '!unicornia curve preview steep');
    expect(bad.content).toContain('`curve` is a preset (nadeko, mee6, linear) or a custom a from 1 to 100 with c');
    const noC = await w.prefix(w.admin, '!unicornia curve preview 12');
    expect(noC.content).toContain('A custom curve needs c too');
  });

  it('given Apply then members are re-levelled: roles follow down and back up, currency is paid once and never taken back', async () => {
    const f = await world();
    w = f.w;
    const paid = [w.alice, w.bob].map((id) => w!.core.reads.balance(id));
    expect(paid).toEqual([100, 0]);

    const ask = await w.prefix(w.admin, '!unicornia curve preset mee6');
    expect(ask.embeds[0]!.description).toContain('Nothing has changed yet. Apply this curve?');
    expect((await w.core.engine.rules(w.guildId)).settings.curve).toEqual(NADEKO_CURVE);
    const applied = await press(w, ask, 'Apply this curve');
    expect(applied.content).toContain('✅ The curve is now MEE6');
    expect(buttons(applied).every((b) => b.disabled)).toBe(true);
    expect((await w.core.engine.rules(w.guildId)).settings.curve).toEqual({ q: 5, a: 50, c: 50 });
    expect(w.sim.memberRoles(w.guildId, w.alice)).toEqual([f.bronze]); // level 3: Silver (5) goes
    expect(w.sim.memberRoles(w.guildId, w.bob)).toEqual([]); // level 1: Bronze (2) goes
    expect([w.alice, w.bob].map((id) => w!.core.reads.balance(id))).toEqual([100, 0]);
    expect(w.sim.messagesIn(w.general).at(-1)!.content).toContain('✅ Re-levelled: 2 members checked, 2 changed level');
    const settings = await w.prefix(w.admin, '!unicornia settings');
    expect(settings.embeds[0]!.fields!.find((x) => x.name === 'Curve')!.value).toBe('MEE6 (5L² + 50L + 100 XP per level)');

    // Back to the default: levels and roles return, nothing is paid again; a cheaper curve pays bob's level 5 once.
    await press(w, await w.prefix(w.admin, '!unicornia curve preset default'), 'Apply this curve');
    expect(w.sim.memberRoles(w.guildId, w.alice).sort()).toEqual([f.bronze, f.silver].sort());
    expect(w.sim.memberRoles(w.guildId, w.bob)).toEqual([f.bronze]);
    await press(w, await w.prefix(w.admin, '!unicornia curve set 1 0'), 'Apply this curve'); // bob 135 XP → level 15
    expect(w.core.reads.balance(w.bob)).toBe(100);
    expect(w.sim.memberRoles(w.guildId, w.bob).sort()).toEqual([f.bronze, f.silver].sort());
    await press(w, await w.prefix(w.admin, '!unicornia curve preset nadeko'), 'Apply this curve');
    await press(w, await w.prefix(w.admin, '!unicornia curve set 1 0'), 'Apply this curve');
    expect([w.alice, w.bob].map((id) => w!.core.reads.balance(id))).toEqual([100, 100]);
  });

  it('given Cancel, or the curve changed since the preview, then nothing changes', async () => {
    const f = await world();
    w = f.w;
    const first = await w.prefix(w.admin, '!unicornia curve preset linear');
    const cancelled = await press(w, first, 'Cancel');
    expect(cancelled.content).toBe('Cancelled: the curve is unchanged.');
    expect((await w.core.engine.rules(w.guildId)).settings.curve).toEqual(NADEKO_CURVE);

    const stale = await w.prefix(w.admin, '!unicornia curve preset linear');
    await press(w, await w.prefix(w.admin, '!unicornia curve preset mee6'), 'Apply this curve');
    const refused = await press(w, stale, 'Apply this curve');
    expect(refused.content).toContain('The curve changed since this preview, so nothing was applied');
    expect((await w.core.engine.rules(w.guildId)).settings.curve).toEqual({ q: 5, a: 50, c: 50 });
    const same = await w.prefix(w.admin, '!unicornia curve preset mee6');
    expect(same.embeds[0]!.description).toContain('That is the curve this server has now: nothing would change.');
    expect(buttons(same)).toEqual([]);
  });

  it('given a re-levelling cut short by a restart then the next start finishes it, and running it again pays nothing twice', async () => {
    const f = await world();
    w = f.w;
    const cheap = { a: 1, c: 0 }; // bob's 135 XP: level 15
    // What a process that stopped right after Apply leaves behind: the new curve saved, the pass not started.
    await w.core.writer.xp.updateSettings(w.guildId, { curve: cheap });
    w.core.engine.reloadGuild(w.guildId);
    const job = { guildId: w.guildId, kind: 'relevel' as const, total: 2, channelId: w.general, startedBy: w.admin, startedAt: 0, data: { today: NADEKO_CURVE, next: cheap } };
    await w.core.writer.jobs.start(job);
    await w.restart();
    await w.bot.app.passes.idle();
    await w.core.engine.idle();
    await w.bot.app.roleQueue.idle();
    expect(w.core.reads.balance(w.bob)).toBe(100);
    expect(w.sim.memberRoles(w.guildId, w.bob).sort()).toEqual([f.bronze, f.silver].sort());
    expect(w.sim.messagesIn(w.general).at(-1)!.content).toContain('✅ Re-levelled: 2 members checked, 2 changed level');

    // The same pass again (as if its last chunk's cursor had not been written): the mark pays nothing twice.
    await w.core.writer.jobs.start(job);
    await w.restart();
    await w.bot.app.passes.idle();
    await w.core.engine.idle();
    expect([w.alice, w.bob].map((id) => w!.core.reads.balance(id))).toEqual([100, 100]);
  });
});
