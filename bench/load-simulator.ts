/**
 * The load generator of the bot bench, in its own process so the bot's event-loop delay is the bot's alone:
 * starts the simulator with a guild of 1 000 members, prints `{restUrl, token, guildId}` as one JSON line, then on
 * "go <rate>" (stdin) pushes N MESSAGE_CREATE events in chunks of 50, waiting for the client to read each chunk
 * (drain) and, when rate > 0, keeping to `rate` messages a second; then prints "done <ms>".
 */
import { createInterface } from 'node:readline';
import { DiscordSimulator } from '../src/simulator/index.js';
import { silentLogger } from '../src/util/logger.js';

const total = Number(process.argv[2] ?? 50_000);
const sim = await DiscordSimulator.start({ logger: silentLogger });
const guild = sim.createGuild({ name: 'Load Test' });
const channels = Array.from({ length: 10 }, (_, i) => sim.createChannel(guild.id, { name: `chat-${i}` }).id);
const members = Array.from({ length: 1000 }, (_, i) => {
  const id = sim.createUser({ username: `member${i}` }).id;
  sim.addMember(guild.id, id);
  return id;
});
console.log(JSON.stringify({ restUrl: sim.restUrl, token: sim.token, guildId: guild.id }));

const rl = createInterface({ input: process.stdin });
rl.on('line', async (line) => {
  if (line.trim() === 'stop') {
    await sim.stop();
    process.exit(0);
  }
  const [cmd, rateText] = line.trim().split(' ');
  if (cmd !== 'go') return;
  const rate = Number(rateText ?? 0);
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    sim.sendMessage({ channelId: channels[i % channels.length]!, authorId: members[(i * 7919) % members.length]!, content: `message ${i} with some words in it` });
    if (i % 50 === 49) {
      await sim.drain();
      const due = rate > 0 ? t0 + ((i + 1) / rate) * 1000 : 0;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    }
  }
  await sim.drain();
  console.log(`done ${performance.now() - t0}`);
});
