/** Joins and leaves: members who left are hidden from the leaderboard; rejoiners get their reward roles back. */
import type { GuildMember, PartialGuildMember } from 'discord.js';
import type { AppContext } from '../../app.js';
import { rolesForLevel } from '../../engine/rewards.js';
import { levelFromXp } from '../../levels/curve.js';
import type { DiscordLevelUpEffects } from '../level-up-effects.js';

export function onMemberAdd(app: AppContext, effects: DiscordLevelUpEffects): (m: GuildMember) => void {
  return (member) => {
    if (member.user.bot) return;
    void (async () => {
      await app.core.writer.xp.setMembership(member.guild.id, member.id, true);
      const rules = app.core.engine.rules(member.guild.id);
      if (!rules.settings.reapplyRolesOnRejoin || rules.roleRewards.length === 0) return;
      const level = levelFromXp(app.core.engine.xpOf(member.guild.id, member.id), rules.settings.curve);
      if (level === 0) return;
      const roles = rolesForLevel(rules.roleRewards, level);
      await effects.applyRoles(member, roles.add, roles.remove);
    })().catch((error: unknown) => app.logger.warn({ err: error }, 'member join handling failed'));
  };
}

export function onMemberRemove(app: AppContext): (m: GuildMember | PartialGuildMember) => void {
  return (member) => {
    void app.core.writer.xp.setMembership(member.guild.id, member.id, false).catch((error: unknown) => app.logger.warn({ err: error }, 'could not record a member leaving'));
  };
}
