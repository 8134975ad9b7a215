/**
 * `npm run demo`: the real bot against the in-repo Discord simulator, offline, with no token. A scripted
 * conversation in a fake server shows message XP, a level-up with a role reward, voice XP, the leaderboard and a
 * level check, printed as a transcript. Time is simulated, so minutes pass instantly.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PermissionFlagsBits } from 'discord.js';
import { DiscordSimulator, type SimMessage } from '../simulator/index.js';
import { createCore } from '../core.js';
import { UnicorniaBot } from '../discord/bot.js';
import { ManualClock, ManualScheduler } from '../util/clock.js';
import { silentLogger } from '../util/logger.js';
import { createDemoCards } from './cards.js';

const dim = (s: string) => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[0m` : s);
const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'unicornia-demo-'));
  const sim = await DiscordSimulator.start({ logger: silentLogger });
  const guild = sim.createGuild({ name: 'Unicorn Farm' });
  const general = sim.createChannel(guild.id, { name: 'general' }).id;
  const lounge = sim.createChannel(guild.id, { name: 'Lounge', type: 2 }).id;
  sim.giveBotRole(guild.id, { permissions: PermissionFlagsBits.ManageRoles | PermissionFlagsBits.SendMessages | PermissionFlagsBits.ViewChannel });
  const regular = sim.createRole(guild.id, { name: 'Regular', position: 1 }).id;
  const modRole = sim.createRole(guild.id, { name: 'Mods', permissions: PermissionFlagsBits.ManageGuild, position: 1 }).id;
  const people = new Map<string, string>();
  const user = (name: string, roles: string[] = []) => {
    const id = sim.createUser({ username: name }).id;
    sim.addMember(guild.id, id, { roles });
    people.set(id, name);
    return id;
  };
  const mod = user('mod', [modRole]);
  const alice = user('alice');
  const bob = user('bob');
  people.set(sim.botUser.id, 'Unicornia');
  const names = (text: string) =>
    text.replace(/<@!?(\d+)>/g, (_m, id: string) => `@${people.get(id) ?? id}`).replace(/<@&(\d+)>/g, (_m, id: string) => `@${sim.guild(guild.id)?.roles.get(id)?.name ?? id}`);

  const clock = new ManualClock();
  const scheduler = new ManualScheduler(clock);
  const core = createCore({ dbPath: join(dir, 'demo.db'), clock, scheduler, logger: silentLogger });
  const cards = createDemoCards(silentLogger);
  const bot = new UnicorniaBot({ token: sim.token, apiUrl: sim.restUrl, core, clock, scheduler, logger: silentLogger, cards });

  const outDir = join(process.cwd(), 'out');
  sim.on('message', (m: SimMessage) => {
    const who = people.get(m.authorId) ?? m.authorId;
    const where = m.channelId === general ? '#general' : 'DM';
    const lines = [m.content && names(m.content)];
    for (const e of m.embeds) lines.push(...[e.title && bold(e.title), e.description && names(e.description), ...(e.fields ?? []).map((f) => `${f.name}: ${f.value}`), e.footer?.text && dim(e.footer.text)].filter((x): x is string => !!x));
    for (const a of m.attachments) {
      mkdirSync(outDir, { recursive: true });
      const file = join(outDir, `demo-${a.filename}`);
      writeFileSync(file, a.data);
      lines.push(dim(`[image ${a.filename}, ${a.data.length.toLocaleString('en-US')} bytes → ${file}]`));
    }
    const text = lines.filter(Boolean).join('\n').replaceAll('\n', '\n    ');
    console.log(`${dim(where)} ${bold(who)}: ${text}`);
  });

  const step = (title: string) => console.log(`\n${bold(`── ${title} ──`)}`);
  const reply = async (authorId: string, content: string) => {
    const answered = sim.waitFor('message', (m) => m.authorId === sim.botUser.id && m.reference?.messageId === sent.id, { timeoutMs: 15_000 });
    const sent = sim.sendMessage({ channelId: general, authorId, content });
    return answered;
  };
  const chat = async (authorId: string, content: string) => {
    const handled = new Promise<void>((resolve) => {
      const l = (msg: { id: string }) => msg.id === sent.id && (bot.client.off('messageCreate', l), resolve());
      bot.client.on('messageCreate', l);
    });
    const sent = sim.sendMessage({ channelId: general, authorId, content });
    await handled;
    await core.engine.idle();
  };

  try {
    console.log(bold('Unicornia demo') + dim(` — a Discord simulator on ${sim.baseUrl}, the real bot logged in to it, a scratch database in ${dir}`));
    await bot.start();
    console.log(dim(`Logged in as ${bot.client.user?.username}; ${sim.commands().length} slash commands registered.`));

    step('An admin sets up rewards');
    await reply(mod, `!rewards role 2 <@&${regular}>`);
    await reply(mod, '!rewards currency 2 100');
    await reply(mod, '!unicornia guild xppermessage 30');

    step('Members chat (one minute between messages, so each one counts)');
    for (const [who, text] of [[alice, 'hi everyone!'], [bob, 'hey alice 👋'], [alice, 'anyone up for a game?'], [bob, 'sure, give me 5'], [alice, 'great, see you in the lounge']] as const) {
      await scheduler.advance(61_000);
      await chat(who, text);
    }
    await chat(alice, 'spam spam spam');
    console.log(dim(`(alice's last message came within the 60 s cooldown: no XP. alice has ${core.engine.xpOf(guild.id, alice)} XP, bob ${core.engine.xpOf(guild.id, bob)} XP)`));
    console.log(dim(`alice's roles: ${sim.memberRoles(guild.id, alice).map((r) => sim.guild(guild.id)?.roles.get(r)?.name).join(', ') || 'none'}`));

    step('Voice: alice and bob talk in the Lounge for three minutes');
    const joined = new Promise<void>((resolve) => {
      let seen = 0;
      bot.client.on('voiceStateUpdate', () => ++seen === 2 && resolve());
    });
    sim.setVoiceState(guild.id, alice, { channelId: lounge });
    sim.setVoiceState(guild.id, bob, { channelId: lounge });
    await joined;
    await scheduler.advance(180_000);
    await core.engine.idle();
    console.log(dim(`(voice XP: alice ${core.engine.xpOf(guild.id, alice)} XP, bob ${core.engine.xpOf(guild.id, bob)} XP)`));

    step('The leaderboard and a level check');
    await reply(bob, '!lb');
    await reply(alice, '!level check');

    step('Shutting down: the final flush writes every buffered gain');
  } finally {
    const saved = await bot.stop();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
    console.log(dim(saved ? 'All XP saved. Bye!' : 'Some XP could not be saved (see the log).'));
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`The demo failed: ${(error as Error).message ?? error}`);
    process.exit(1);
  },
);
