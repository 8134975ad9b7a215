/**
 * Issue 10's role-sync figure: `rewards sync` over 10 000 members of whom 500 hold the wrong reward roles makes 500
 * member-role edits, not 10 000 (`rolesync.10k_edits`), counted in the simulator's REST log. The real bot and
 * discord.js client against the in-repo simulator, in this process; the time of the whole sync (the pass and the
 * role queue applying its changes) is reported beside it. discord.js keeps to its global 50 requests a second (the
 * simulator sends no rate-limit headers), which bounds the time of the 500 edits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PermissionFlagsBits } from 'discord.js';
import type { BenchSuite } from './harness.js';
import { round } from './harness.js';
import { createCore } from '../src/core.js';
import { UnicorniaBot } from '../src/discord/bot.js';
import { DiscordSimulator } from '../src/simulator/index.js';
import { systemClock, systemScheduler } from '../src/util/clock.js';
import { silentLogger } from '../src/util/logger.js';
import { NADEKO_CURVE, totalXpForLevel } from '../src/levels/curve.js';

const MEMBERS = 10_000;
const DIFFER = 500;

export const roleSyncSuite: BenchSuite = {
  name: 'rolesync',
  async run(log) {
    const dir = mkdtempSync(join(tmpdir(), 'unicornia-bench-rolesync-'));
    const sim = await DiscordSimulator.start({ logger: silentLogger });
    const guild = sim.createGuild({ name: 'Role Sync' });
    const channel = sim.createChannel(guild.id, { name: 'general' }).id;
    sim.giveBotRole(guild.id, { permissions: PermissionFlagsBits.ManageRoles | PermissionFlagsBits.SendMessages | PermissionFlagsBits.ViewChannel });
    const adminRole = sim.createRole(guild.id, { name: 'Mods', permissions: PermissionFlagsBits.ManageGuild, position: 1 }).id;
    const bronze = sim.createRole(guild.id, { name: 'Bronze', position: 1 }).id;
    const admin = sim.createUser({ username: 'admin' }).id;
    sim.addMember(guild.id, admin, { roles: [adminRole] });
    // Every member is at level 3 and should hold Bronze (level 2); every 20th lost it by hand.
    const ids: string[] = [];
    for (let i = 0; i < MEMBERS; i++) {
      const id = sim.createUser({ username: `member${i}` }).id;
      sim.addMember(guild.id, id, { roles: i % (MEMBERS / DIFFER) === 0 ? [] : [bronze] });
      ids.push(id);
    }
    const core = createCore({ dbPath: join(dir, 'bench.db'), clock: systemClock, scheduler: systemScheduler, logger: silentLogger });
    const insert = core.db.prepare('INSERT INTO UserXpStats (GuildId, UserId, Xp, RewardedLevel) VALUES (?, ?, ?, 3)');
    core.db.transaction(() => {
      for (const id of ids) insert.run(BigInt(guild.id), BigInt(id), totalXpForLevel(3, NADEKO_CURVE));
    })();
    core.db.prepare('INSERT INTO XpRoleReward (GuildId, Level, RoleId, Remove) VALUES (?, 2, ?, 0)').run(BigInt(guild.id), BigInt(bronze));
    const bot = new UnicorniaBot({ token: sim.token, apiUrl: sim.restUrl, core, clock: systemClock, scheduler: systemScheduler, logger: silentLogger, registerCommands: false });
    try {
      await bot.start();
      const isEdit = (route: string | null) => route === '/guilds/:guildId/members/:userId/roles/:roleId';
      const before = sim.restLog.filter((c) => isEdit(c.route)).length;
      const reply = sim.waitFor('message', (m) => m.authorId === sim.botUser.id && m.channelId === channel);
      const t0 = performance.now();
      sim.sendMessage({ channelId: channel, authorId: admin, content: '!unicornia rewards sync' });
      await reply;
      await bot.app.passes.idle();
      const passMs = performance.now() - t0;
      await bot.app.roleQueue.idle();
      const ms = performance.now() - t0;
      const edits = sim.restLog.filter((c) => isEdit(c.route)).length - before;
      const wrong = ids.filter((id) => !sim.memberRoles(guild.id, id).includes(bronze)).length;
      log(`${MEMBERS + 1} members compared in ${round(passMs)} ms; ${edits} member-role edits (${DIFFER} differed), all applied after ${round(ms)} ms; ${wrong} still without the role`);
      if (wrong !== 0) throw new Error(`${wrong} members still lack the role after the sync`);
      return [
        { name: 'rolesync.10k_edits', unit: 'edits', value: edits },
        { name: 'rolesync.10k_compare_ms', unit: 'ms', value: round(passMs) },
        { name: 'rolesync.10k_total_ms', unit: 'ms', value: round(ms) },
      ];
    } finally {
      await bot.stop();
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
