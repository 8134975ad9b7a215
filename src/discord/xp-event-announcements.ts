/** Sends an XP event's start or end announcement (DESIGN §15.5) to its channel, pinging nobody. */
import type { Client } from 'discord.js';
import type { XpEventAnnouncement } from '../storage/xp-events.js';
import { endAnnouncement, startAnnouncement } from './xp-event-text.js';
import { fitText, LIMITS } from './limits.js';

export async function sendXpEventAnnouncement(client: Client, a: XpEventAnnouncement): Promise<void> {
  const channelId = a.event.announceChannelId;
  if (channelId === null) return;
  const channel = await client.channels.fetch(channelId).catch(() => null);
  if (!channel?.isSendable()) throw new Error(`the announcement channel ${channelId} is gone or not a text channel`);
  const text = a.kind === 'start' ? startAnnouncement(a.event) : endAnnouncement(a.event);
  await channel.send({ content: fitText(text, LIMITS.content), allowedMentions: { parse: [] } });
}
