/** The 60 s voice tick: a snapshot of who is in voice, from discord.js's voice state cache, for the engine. */
import { ChannelType, type Client } from 'discord.js';
import type { VoiceChannelSnapshot, VoiceGuildSnapshot } from '../../engine/events.js';

export function voiceSnapshot(client: Client): VoiceGuildSnapshot[] {
  const out: VoiceGuildSnapshot[] = [];
  for (const guild of client.guilds.cache.values()) {
    const channels = new Map<string, VoiceChannelSnapshot & { members: VoiceChannelSnapshot['members'][number][] }>();
    for (const vs of guild.voiceStates.cache.values()) {
      if (!vs.channelId) continue;
      let ch = channels.get(vs.channelId);
      if (!ch) {
        const channel = guild.channels.cache.get(vs.channelId);
        if (channel && channel.type !== ChannelType.GuildVoice && channel.type !== ChannelType.GuildStageVoice) continue;
        ch = { channelId: vs.channelId, categoryId: channel?.parentId ?? null, isStage: channel?.type === ChannelType.GuildStageVoice, members: [] };
        channels.set(vs.channelId, ch);
      }
      const member = vs.member ?? guild.members.cache.get(vs.id);
      ch.members.push({
        userId: vs.id,
        roleIds: member ? [...member.roles.cache.keys()] : [],
        isBot: member?.user.bot ?? false,
        selfDeaf: vs.selfDeaf ?? false,
        serverDeaf: vs.serverDeaf ?? false,
        selfMute: vs.selfMute ?? false,
        serverMute: vs.serverMute ?? false,
        suppressed: vs.suppress ?? false,
      });
    }
    if (channels.size) out.push({ guildId: guild.id, afkChannelId: guild.afkChannelId, channels: [...channels.values()] });
  }
  return out;
}
