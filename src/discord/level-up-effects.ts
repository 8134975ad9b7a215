/**
 * The Discord side of a level-up (DESIGN §2.4): role rewards in one member edit, then the announcement.
 * State (XP, paid currency) is already saved when this runs; any failure here is logged and reported, never
 * retried into a second payment.
 */
import type { Client, GuildMember, MessageCreateOptions } from 'discord.js';
import type { LevelUpEffect, LevelUpEffects } from '../engine/ports.js';
import type { AppContext } from '../app.js';
import { fillTemplate, rewardFooter } from './announcement.js';
import { roleProblem } from './role-check.js';

const NOTHING = Object.freeze({ added: [] as string[], removed: [] as string[] });

export class DiscordLevelUpEffects implements LevelUpEffects {
  constructor(
    private readonly client: Client,
    private readonly app: AppContext,
  ) {}

  async apply(e: LevelUpEffect): Promise<void> {
    const guild = this.client.guilds.cache.get(e.guildId);
    if (!guild) return;
    // Fresh from Discord: the edit below replaces the whole role list, so it must start from the current one.
    const member = await guild.members.fetch({ user: e.userId, force: true }).catch(() => null);
    const applied = member ? await this.applyRoles(member, e.rolesToAdd, e.rolesToRemove) : NOTHING;
    if (e.newLevel > e.oldLevel) await this.announce({ ...e, rolesToAdd: applied.added, rolesToRemove: applied.removed }, member);
  }

  /**
   * Adds and removes reward roles in one member edit; roles the bot cannot manage are logged with the reason.
   * Returns the changes that were made (the announcement lists only those).
   */
  async applyRoles(member: GuildMember, add: readonly string[], remove: readonly string[]): Promise<{ added: string[]; removed: string[] }> {
    if (add.length === 0 && remove.length === 0) return NOTHING;
    const guild = member.guild;
    const usable = (id: string) => {
      const problem = roleProblem(guild, id);
      if (problem) this.app.logger.warn({ guildId: guild.id, roleId: id, problem }, `cannot apply role reward: ${problem}`);
      return !problem;
    };
    const toAdd = add.filter(usable);
    const toRemove = new Set(remove.filter(usable));
    const current = [...member.roles.cache.keys()].filter((id) => id !== guild.id);
    const added = toAdd.filter((id) => !current.includes(id));
    const removed = current.filter((id) => toRemove.has(id));
    if (added.length === 0 && removed.length === 0) return NOTHING;
    try {
      await member.roles.set([...current.filter((id) => !toRemove.has(id)), ...added], 'Unicornia level reward');
      return { added, removed };
    } catch (error) {
      this.app.logger.warn({ err: error, guildId: guild.id, userId: member.id }, 'role reward edit failed');
      return NOTHING;
    }
  }

  private async announce(e: LevelUpEffect, member: GuildMember | null): Promise<void> {
    const settings = this.app.core.engine.rules(e.guildId).settings;
    if (settings.announceMode === 'off') return;
    const guild = this.client.guilds.cache.get(e.guildId)!;
    const content = fillTemplate({
      effect: e,
      template: settings.announceTemplate,
      displayName: member?.displayName ?? 'Someone',
      guildName: guild.name,
      currencyEmoji: this.app.currency.emoji,
    });
    const footer = rewardFooter(e, (id) => guild.roles.cache.get(id)?.name ?? 'deleted role', this.app.currency.emoji);
    const message: MessageCreateOptions = {
      content: footer ? `${content}\n-# ${footer}` : content,
      allowedMentions: settings.announcePing ? { users: [e.userId] } : { parse: [] },
    };
    try {
      if (settings.announceMode === 'dm') {
        if (member) await member.send({ ...message, content: `**${guild.name}**: ${message.content}` });
        return;
      }
      const channelId = settings.announceMode === 'fixed' ? settings.announceChannelId : e.channelId;
      if (!channelId) return; // an admin's XP change has no "same channel"; the command's reply says it
      const channel = await this.client.channels.fetch(channelId).catch(() => null);
      if (channel?.isSendable()) await channel.send(message);
    } catch (error) {
      this.app.logger.warn({ err: error, guildId: e.guildId, userId: e.userId }, 'level-up announcement failed');
    }
  }
}
