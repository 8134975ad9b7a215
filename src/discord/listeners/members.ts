/**
 * Joins and leaves: members who left are hidden from the leaderboard, with the time they left (the retention rule
 * counts from it, DESIGN §13); rejoiners are shown again, lose that time, and get their reward roles back.
 */
import type { GuildMember, PartialGuildMember } from 'discord.js';
import type { AppContext } from '../../app.js';
import { rolesForLevel } from '../../engine/rewards.js';
import { levelFromXp } from '../../levels/curve.js';

export function onMemberAdd(app: AppContext): (m: GuildMember) => void {
  return (member) => {
    if (member.user.bot) return;
    void (async () => {
      const { id: guildId } = member.guild;
      await app.core.writer.xp.setMembership(guildId, member.id, true, app.clock.wallNow());
      const rules = (await app.core.engine.rules(guildId));
      if (!rules.settings.reapplyRolesOnRejoin || rules.roleRewards.length === 0) return;
      const level = levelFromXp((await app.core.engine.xpOf(guildId, member.id)), rules.settings.curve);
      if (level === 0) return;
      // Through the role-change queue, like level changes (DESIGN §2.7): per-role calls, retried until they land,
      // and a level change queued later for the same role replaces this one instead of racing it.
      const queued = await app.core.writer.xp.queueRoleChanges(guildId, member.id, rolesForLevel(rules.roleRewards, level, rules.settings.rewardMode), 'rejoin', app.clock.wallNow());
      if (queued > 0) await app.roleQueue.applyMemberNow(guildId, member.id);
    })().catch((error: unknown) => app.logger.warn({ err: error }, 'member join handling failed'));
  };
}

export function onMemberRemove(app: AppContext): (m: GuildMember | PartialGuildMember) => void {
  return (member) => {
    void app.core.writer.xp.setMembership(member.guild.id, member.id, false, app.clock.wallNow()).catch((error: unknown) => app.logger.warn({ err: error }, 'could not record a member leaving'));
  };
}
