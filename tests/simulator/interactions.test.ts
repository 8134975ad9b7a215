import {
  ActionRowBuilder,
  AttachmentBuilder,
  ButtonBuilder,
  ButtonStyle,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  StringSelectMenuBuilder,
  type APIApplicationCommand,
  type ChatInputCommandInteraction,
  type Interaction,
} from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { PNG, type World, world } from './support.js';

const level = new SlashCommandBuilder()
  .setName('level')
  .setDescription('Levels')
  .addSubcommand((s) =>
    s
      .setName('check')
      .setDescription('Show a card')
      .addUserOption((o) => o.setName('user').setDescription('Whose card')),
  )
  .addSubcommand((s) =>
    s
      .setName('leaderboard')
      .setDescription('Top members')
      .addIntegerOption((o) => o.setName('page').setDescription('Page').setMinValue(1)),
  );

const admin = new SlashCommandBuilder()
  .setName('unicornia')
  .setDescription('Admin')
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .addSubcommandGroup((g) =>
    g
      .setName('guild')
      .setDescription('Guild settings')
      .addSubcommand((s) =>
        s
          .setName('xpenabled')
          .setDescription('Switch XP')
          .addBooleanOption((o) => o.setName('enabled').setDescription('On or off').setRequired(true)),
      ),
  );

/** Registers the commands through the client (PUT /applications/:app/commands) and answers with `handler`. */
async function withCommands(w: World, handler: (i: Interaction) => Promise<unknown>): Promise<void> {
  await w.client.application!.commands.set([level.toJSON(), admin.toJSON()]);
  w.client.on('interactionCreate', (i) => void handler(i));
}

describe('given a client with registered slash commands', () => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.teardown();
    w = undefined;
  });

  it('then the commands are stored with ids, kept across re-registration, and each PUT is counted', async () => {
    w = await world();
    await w.client.application!.commands.set([level.toJSON()]);
    const firstId = w.sim.commands()[0]?.id;
    await w.client.application!.commands.set([level.toJSON(), admin.toJSON()]);
    expect(w.sim.commands().map((c) => c.name)).toEqual(['level', 'unicornia']);
    expect(w.sim.commands()[0]?.id).toBe(firstId);
    expect(w.sim.commands()[1]?.default_member_permissions).toBe(PermissionFlagsBits.ManageGuild.toString());
    expect(w.sim.commandRegistrations).toBe(2);
    await w.client.application!.commands.set([level.toJSON()], w.guildId);
    expect(w.sim.commands(w.guildId).map((c) => c.name)).toEqual(['level']);
  });

  it('then fetched commands carry what Discord returns, its defaults included', async () => {
    w = await world();
    await w.client.application!.commands.set([level.toJSON()]);
    await w.client.application!.commands.set([level.toJSON()], w.guildId);
    const [global] = w.sim.commands();
    expect(global).toMatchObject({ integration_types: [0], contexts: null, dm_permission: true, nsfw: false, default_member_permissions: null, type: 1 });
    expect(global?.version).toMatch(/^\d+$/);
    const [guild] = w.sim.commands(w.guildId);
    expect(guild).toMatchObject({ integration_types: [0], contexts: null, guild_id: w.guildId });
    expect(guild).not.toHaveProperty('dm_permission');
    await expect(w.client.application!.commands.set([{ ...level.toJSON(), integration_types: [1] }])).rejects.toThrow(/Invalid Form Body/);
  });

  it('then a definition that leaves integration_types to Discord differs from the fetched copy, and one that declares it (and contexts) does not', async () => {
    w = await world();
    // The round trip drops the builders' `nsfw: undefined`, which equals() would compare against Discord's false.
    const plain = JSON.parse(JSON.stringify([level.toJSON(), admin.toJSON()])) as APIApplicationCommand[];
    await w.client.application!.commands.set(plain as never);
    let fetched = await w.client.application!.commands.fetch();
    for (const json of plain) expect(fetched.find((c) => c.name === json.name)?.equals(json as never)).toBe(false);
    const declared = plain.map((c) => ({ ...c, integration_types: [0], contexts: [0] }));
    await w.client.application!.commands.set(declared as never);
    fetched = await w.client.application!.commands.fetch();
    for (const json of declared) expect(fetched.find((c) => c.name === json.name)?.equals(json as never)).toBe(true);
  });

  it('when a user runs a command, then the handler sees options with resolved users and its reply is recorded', async () => {
    w = await world();
    let seen: ChatInputCommandInteraction | undefined;
    await withCommands(w, async (i) => {
      if (!i.isChatInputCommand()) return;
      seen = i;
      // @everyone and a user mention, without allowed_mentions: an interaction reply parses users only (Discord's default).
      await i.reply({ content: `card of ${i.options.getUser('user')?.username} for @everyone, <@${i.user.id}>` });
    });
    const handle = w.sim.runSlashCommand({
      guildId: w.guildId,
      channelId: w.textId,
      userId: w.alice,
      name: 'level',
      subcommand: 'check',
      options: { user: w.bob },
    });
    const reply = await handle.reply();
    expect(reply.content).toBe(`card of bob for @everyone, <@${w.alice}>`);
    expect(reply).toMatchObject({ mentionEveryone: false, mentionIds: [w.alice] });
    expect(seen?.options.getSubcommand()).toBe('check');
    expect(seen?.options.getMember('user')).toBeTruthy();
    expect(seen?.member?.user.id).toBe(w.alice);
    expect(w.sim.interactionResponse(handle)).toMatchObject({ callbackTypes: [4], deferred: false, ephemeral: false });
    expect(w.sim.messagesIn(w.textId).at(-1)?.id).toBe(reply.id);
    // The callback route carries no Authorization header and must not need one.
    expect(w.sim.restLog.find((c) => c.route?.includes('callback'))?.status).toBe(204);
  });

  it('when the handler defers, edits the reply and follows up, then each step is visible on the handle', async () => {
    w = await world();
    await withCommands(w, async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.deferReply({ flags: MessageFlags.Ephemeral });
      await i.editReply('rendered');
      await i.followUp({ content: 'and one more thing' });
    });
    const handle = w.sim.runSlashCommand({
      guildId: w.guildId,
      channelId: w.textId,
      userId: w.alice,
      name: 'level',
      subcommand: 'leaderboard',
      options: { page: 2 },
    });
    expect((await handle.reply()).content).toBe('rendered');
    expect((await handle.followUp(0)).content).toBe('and one more thing');
    const response = handle.response;
    expect(response.callbackTypes).toEqual([5]);
    expect(response.deferred).toBe(true);
    expect(response.ephemeral).toBe(true);
    // Ephemeral replies are not channel messages; the follow-up was not ephemeral.
    expect(w.sim.messagesIn(w.textId).map((m) => m.content)).toEqual(['and one more thing']);
    expect(w.sim.restLog.some((c) => c.method === 'PATCH' && c.path.endsWith('/messages/@original'))).toBe(true);
  });

  it('when the handler defers and then only follows up, then the follow-up replaces the loading message', async () => {
    w = await world();
    await withCommands(w, async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.deferReply();
      await i.followUp('done thinking');
    });
    const handle = w.sim.runSlashCommand({
      guildId: w.guildId,
      channelId: w.textId,
      userId: w.alice,
      name: 'level',
      subcommand: 'check',
    });
    const reply = await handle.reply();
    expect(reply.content).toBe('done thinking');
    expect((await handle.followUp(0)).id).toBe(reply.id);
    expect(w.sim.messagesIn(w.textId)).toHaveLength(1);
  });

  it('when the handler defers and edits the reply with a PNG, then the attachment bytes are kept', async () => {
    w = await world();
    await withCommands(w, async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.deferReply();
      await i.editReply({ content: 'your card', files: [new AttachmentBuilder(PNG, { name: 'card.png' })] });
    });
    const handle = w.sim.runSlashCommand({
      guildId: w.guildId,
      channelId: w.textId,
      userId: w.alice,
      name: 'level',
      subcommand: 'check',
    });
    const reply = await handle.reply();
    expect(reply.attachments.map((a) => a.filename)).toEqual(['card.png']);
    expect(reply.attachments[0]?.data.equals(PNG)).toBe(true);
    expect(reply.flags & MessageFlags.Loading).toBe(0);
  });

  it('when the handler replies withResponse, then discord.js gets the created message back', async () => {
    w = await world();
    let answered: (id: string | undefined) => void = () => undefined;
    const responseMessageId = new Promise<string | undefined>((resolve) => (answered = resolve));
    await withCommands(w, async (i) => {
      if (!i.isChatInputCommand()) return;
      const response = await i.reply({ content: 'hi', withResponse: true });
      answered(response.resource?.message?.id);
    });
    const handle = w.sim.runSlashCommand({
      guildId: w.guildId,
      channelId: w.textId,
      userId: w.alice,
      name: 'level',
      subcommand: 'check',
    });
    const reply = await handle.reply();
    expect(await responseMessageId).toBe(reply.id);
  });

  it('when a user runs a command in DMs, then the interaction has a user, no member, and the DM channel', async () => {
    w = await world();
    let seen: ChatInputCommandInteraction | undefined;
    await withCommands(w, async (i) => {
      if (!i.isChatInputCommand()) return;
      seen = i;
      await i.reply('in dms');
    });
    const handle = w.sim.runSlashCommand({ userId: w.bob, name: 'level', subcommand: 'check' });
    expect((await handle.reply()).content).toBe('in dms');
    expect(seen?.inGuild()).toBe(false);
    expect(seen?.user.id).toBe(w.bob);
    expect(seen?.channelId).toBe(w.sim.dmChannel(w.bob).id);
  });

  it('when a button is pressed, then the handler can update the message it sits on', async () => {
    w = await world();
    await withCommands(w, async (i) => {
      if (i.isChatInputCommand()) {
        const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
          new ButtonBuilder().setCustomId('lb:next').setLabel('▶').setStyle(ButtonStyle.Primary),
        );
        await i.reply({ content: 'page 1', components: [row] });
      } else if (i.isButton()) {
        await i.update({ content: `page 2 (${i.customId} by ${i.user.username})` });
      }
    });
    const command = w.sim.runSlashCommand({
      guildId: w.guildId,
      channelId: w.textId,
      userId: w.alice,
      name: 'level',
      subcommand: 'leaderboard',
    });
    const page = await command.reply();
    const press = w.sim.pressButton({ messageId: page.id, customId: 'lb:next', userId: w.alice });
    const updated = await press.reply();
    expect(updated.id).toBe(page.id);
    expect(updated.content).toBe('page 2 (lb:next by alice)');
    expect(press.response.callbackTypes).toEqual([7]);
    expect(() => w!.sim.pressButton({ messageId: page.id, customId: 'nope', userId: w!.alice })).toThrow(
      /no component/,
    );
  });

  it('when a select menu is used, then the handler gets the values and can defer the update then edit', async () => {
    w = await world();
    await withCommands(w, async (i) => {
      if (i.isChatInputCommand()) {
        const menu = new StringSelectMenuBuilder()
          .setCustomId('bg')
          .addOptions({ label: 'Stars', value: 'stars' }, { label: 'Sea', value: 'sea' });
        await i.reply({
          content: 'pick',
          components: [new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(menu)],
        });
      } else if (i.isStringSelectMenu()) {
        await i.deferUpdate();
        await i.editReply({ content: `chose ${i.values.join(',')}`, components: [] });
      }
    });
    const command = w.sim.runSlashCommand({
      guildId: w.guildId,
      channelId: w.textId,
      userId: w.bob,
      name: 'level',
      subcommand: 'check',
    });
    const picker = await command.reply();
    const select = w.sim.selectMenu({ messageId: picker.id, customId: 'bg', userId: w.bob, values: ['sea'] });
    const edited = await select.reply();
    expect(edited.content).toBe('chose sea');
    expect(edited.components).toEqual([]);
    expect(select.response.callbackTypes).toEqual([6]);
  });

  it('when a user lacks default_member_permissions, then Discord would not offer the command', async () => {
    w = await world();
    await withCommands(w, async () => undefined);
    const run = (userId: string) =>
      w!.sim.runSlashCommand({
        guildId: w!.guildId,
        channelId: w!.textId,
        userId,
        name: 'unicornia',
        subcommandGroup: 'guild',
        subcommand: 'xpenabled',
        options: { enabled: true },
      });
    expect(() => run(w!.alice)).toThrow(/default_member_permissions/);
    const owner = w.sim.guild(w.guildId)!.ownerId;
    expect(run(owner).id).toMatch(/^\d+$/);
  });

  it('when options do not match the registered definition, then the driver says what is wrong', async () => {
    w = await world();
    await withCommands(w, async () => undefined);
    const base = { guildId: w.guildId, channelId: w.textId, userId: w.alice, name: 'level' };
    expect(() => w!.sim.runSlashCommand({ ...base, subcommand: 'leaderboard', options: { page: 'two' } })).toThrow(
      /expects an integer/,
    );
    expect(() => w!.sim.runSlashCommand({ ...base, subcommand: 'check', options: { colour: 'red' } })).toThrow(
      /has no option 'colour'/,
    );
    expect(() => w!.sim.runSlashCommand({ ...base, name: 'rank' })).toThrow(/not registered/);
  });

  it('when an interaction is answered twice, then the second callback fails with 40060', async () => {
    w = await world();
    let second: Promise<unknown> | undefined;
    await withCommands(w, async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.reply('first');
      // Bypass discord.js's own guard to hit the simulator's check.
      const again = { body: { type: 4, data: { content: 'again' } }, auth: false };
      second = w!.client.rest.post(`/interactions/${i.id}/${i.token}/callback`, again);
    });
    const refused = w.sim.waitFor('rest', (c) => c.route?.endsWith('/callback') === true && c.status === 400);
    w.sim.runSlashCommand({
      guildId: w.guildId,
      channelId: w.textId,
      userId: w.alice,
      name: 'level',
      subcommand: 'check',
    });
    await refused;
    await expect(second).rejects.toMatchObject({ code: 40060 });
  });
});
