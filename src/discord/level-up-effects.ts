/**
 * The Discord side of a level-up (DESIGN §2.4): the reward roles, already in the role-change queue, are applied
 * now (what fails is retried by the queue, DESIGN §2.7), then the announcement lists the roles that landed.
 * State (XP, paid currency, queued roles) is already saved when this runs; any failure here is logged, never
 * retried into a second payment.
 */
import { AttachmentBuilder, type Client, type GuildMember, type MessageCreateOptions } from 'discord.js';
import type { LevelUpEffect, LevelUpEffects } from '../engine/ports.js';
import type { AppContext } from '../app.js';
import { levelUpMessage } from './level-up-message.js';
import { resolvedUser } from './contexts.js';
import type { RoleQueueWorker } from './role-queue-worker.js';

export class DiscordLevelUpEffects implements LevelUpEffects {
  constructor(
    private readonly client: Client,
    private readonly app: AppContext,
    private readonly roles: RoleQueueWorker,
  ) {}

  async apply(e: LevelUpEffect): Promise<void> {
    const guild = this.client.guilds.cache.get(e.guildId);
    if (!guild) return;
    const landed = e.rolesToAdd.length || e.rolesToRemove.length ? await this.roles.applyMemberNow(e.guildId, e.userId) : { added: [], removed: [] };
    // A curve change re-levels a whole server: it is announced once, by the command, not per member (DESIGN §2.4.2).
    if (e.newLevel <= e.oldLevel || e.source === 'curve') return;
    const member = await guild.members.fetch(e.userId).catch(() => null);
    await this.announce(
      { ...e, rolesToAdd: e.rolesToAdd.filter((r) => landed.added.includes(r)), rolesToRemove: e.rolesToRemove.filter((r) => landed.removed.includes(r)) },
      member,
    );
  }

  private async announce(e: LevelUpEffect, member: GuildMember | null): Promise<void> {
    const settings = (await this.app.core.engine.rules(e.guildId)).settings;
    if (settings.announceMode === 'off') return;
    const guild = this.client.guilds.cache.get(e.guildId)!;
    const dm = settings.announceMode === 'dm';
    try {
      const built = await levelUpMessage(this.app, e, {
        guildName: guild.name,
        roleName: (id) => guild.roles.cache.get(id)?.name ?? 'deleted role',
        user: member ? resolvedUser(member.user, member) : null,
        dm,
      });
      const message: MessageCreateOptions = {
        ...(built.content !== undefined ? { content: built.content } : {}),
        ...(built.embeds ? { embeds: built.embeds } : {}),
        ...(built.files ? { files: built.files.map((f) => new AttachmentBuilder(f.data, { name: f.name })) } : {}),
        allowedMentions: settings.announcePing ? { users: [e.userId] } : { parse: [] },
      };
      if (dm) {
        if (member) await member.send(message);
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
