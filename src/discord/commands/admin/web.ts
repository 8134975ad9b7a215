/**
 * `server web …` (DESIGN §14): the public leaderboard page on or off, API keys, webhooks. A key (and a webhook
 * secret) is shown once, in an answer only the admin sees: the slash form. The prefix form would post them in the
 * channel, so it refuses and changes nothing.
 */
import { randomBytes } from 'node:crypto';
import { defineCommand, type AnyCommand, type CommandContext } from '../types.js';
import { ok, requireGuild } from './shared.js';
import { UserError } from '../errors.js';
import { fitLines, LIMITS } from '../../limits.js';
import { SLUG_PATTERN } from '../../../storage/web-writes.js';
import { hashApiKey } from '../../../web/api-keys.js';
import { WEBHOOK_EVENTS, type WebhookEvent } from '../../../webhooks/events.js';

/** Where the page of a server is, as a link when the bot knows its public address (WEB_PUBLIC_URL). */
export function pageAddress(ctx: CommandContext, slug: string): string {
  const path = `/g/${slug}`;
  return ctx.app.web.publicUrl ? `${ctx.app.web.publicUrl}${path}` : `\`${path}\` on the bot's web address`;
}

export function secretOnlyInSlash(ctx: CommandContext, what: string, slash: string): void {
  if (ctx.source === 'prefix') {
    throw new UserError('invalid_state', `${what} is a secret, and a text command's answer is seen by the whole channel. Use the slash command \`${slash}\`, whose answer only you see. Nothing was created.`);
  }
}

const webPublic = defineCommand({
  path: ['server', 'web', 'public'],
  description: 'Leaderboard on the web: on or off (default)',
  options: [
    { name: 'state', type: 'string', required: true, description: 'on, off or default (off)', choices: ['on', 'off', 'default'] },
    { name: 'slug', type: 'string', description: '/g/<slug>', min: 2, max: 40 },
  ] as const,
  example: { state: 'on', slug: 'unicorn-farm' },
  permission: 'admin',
  async handler(ctx, { state, slug }) {
    const guildId = requireGuild(ctx);
    const wanted = slug?.toLowerCase() ?? null;
    if (wanted !== null && !SLUG_PATTERN.test(wanted)) {
      throw new UserError('bad_argument', `\`${slug}\` cannot be an address: use 2–40 of a–z, 0–9 and inner dashes, not only digits (e.g. \`unicorn-farm\`).`);
    }
    const on = state === 'on'; // `default` is off: a page is listed only after an admin chose it
    const copy = ctx.app.web.guildCopy(guildId);
    const r = await ctx.app.core.writer.web.setPublic(guildId, on, wanted, copy && { name: copy.name, iconUrl: copy.iconUrl }, ctx.app.clock.wallNow());
    if (r.taken) throw new UserError('bad_argument', `Another server already uses \`${wanted}\`. Pick another slug; nothing was changed.`);
    if (copy) await ctx.app.core.writer.web.saveGuild(guildId, copy, ctx.app.clock.wallNow());
    if (on) await ctx.app.web.backfillProfiles(guildId);
    if (!on) return ok('The web leaderboard is off: its address now answers "not found", and the names and avatars it showed are deleted.');
    return ok(`The leaderboard is on the web at ${pageAddress(ctx, r.slug ?? guildId)} (and \`/g/${guildId}\`). Members can hide their name with \`/level privacy hide\`.`);
  },
});

const apikeyCreate = defineCommand({
  path: ['server', 'web', 'apikey-create'],
  aliases: [['server', 'web', 'apikey', 'create']],
  description: 'New API key',
  options: [] as const,
  example: {},
  permission: 'admin',
  async handler(ctx) {
    const guildId = requireGuild(ctx);
    secretOnlyInSlash(ctx, 'An API key', '/server web apikey-create');
    const key = `unk_${randomBytes(24).toString('base64url')}`;
    const id = await ctx.app.core.writer.web.createApiKey(guildId, hashApiKey(key), key.slice(0, 8), ctx.user.id, ctx.app.clock.wallNow());
    return {
      ephemeral: true,
      content: `🔑 API key #${id} (shown once, stored only as a hash):\n\`${key}\`\nSend it as \`Authorization: Bearer <key>\`. Revoke it with \`/server web apikey-revoke ${id}\`.`,
    };
  },
});

const apikeyRevoke = defineCommand({
  path: ['server', 'web', 'apikey-revoke'],
  aliases: [['server', 'web', 'apikey', 'revoke']],
  description: 'Revoke a key',
  options: [{ name: 'id', type: 'integer', required: true, description: 'Key number', min: 1 }] as const,
  example: { id: 1 },
  permission: 'admin',
  async handler(ctx, { id }) {
    const guildId = requireGuild(ctx);
    if (!(await ctx.app.core.writer.web.revokeApiKey(guildId, id))) throw new UserError('not_found', `This server has no API key #${id}. \`apikey-list\` shows them.`);
    return ok(`API key #${id} is revoked: requests with it are refused from now on.`);
  },
});

const apikeyList = defineCommand({
  path: ['server', 'web', 'apikey-list'],
  aliases: [['server', 'web', 'apikey', 'list'], ['server', 'web', 'apikey']],
  description: 'API keys',
  options: [] as const,
  example: {},
  permission: 'admin',
  async handler(ctx) {
    const keys = await ctx.app.core.writer.web.listApiKeys(requireGuild(ctx));
    if (keys.length === 0) return { content: 'No API keys. Create one with `/server web apikey-create`.' };
    const lines = keys.map((k) => `#${k.id} \`${k.hint}…\` by <@${k.createdBy}>, <t:${Math.floor(k.createdAt / 1000)}:d>`);
    return { embeds: [{ title: 'API keys', description: fitLines(lines, LIMITS.description) }] };
  },
});

const webhookAdd = defineCommand({
  path: ['server', 'web', 'webhook-add'],
  aliases: [['server', 'web', 'webhook', 'add']],
  description: 'Send events (level-ups, rewards, payments, seasons) to an https URL, signed',
  options: [
    { name: 'url', type: 'string', required: true, description: 'https URL that receives the events', max: 500 },
    { name: 'events', type: 'string', rest: true, description: `Some of: ${WEBHOOK_EVENTS.join(', ')} (default all)`, max: 200 },
  ] as const,
  example: { url: 'https://example.com/unicornia', events: 'level_up role_reward_given' },
  permission: 'admin',
  async handler(ctx, { url, events }) {
    const guildId = requireGuild(ctx);
    secretOnlyInSlash(ctx, "A webhook's signing secret", '/server web webhook-add');
    const chosen = parseEvents(events);
    const problem = await ctx.app.web.webhookUrlProblem(url);
    if (problem) throw new UserError('bad_argument', `That URL cannot receive webhooks: ${problem}. Nothing was added.`);
    const secret = randomBytes(32).toString('base64url');
    const id = await ctx.app.core.writer.web.addWebhook(guildId, url, secret, chosen, ctx.app.clock.wallNow());
    return {
      ephemeral: true,
      content: `🪝 Webhook #${id} sends ${chosen.join(', ')} to <${url}>.\nSigning secret (shown once): \`${secret}\`\nEach POST carries \`X-Unicornia-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">\` and \`Idempotency-Key\`; docs/API.md shows how to check them.`,
    };
  },
});

const webhookRemove = defineCommand({
  path: ['server', 'web', 'webhook-remove'],
  aliases: [['server', 'web', 'webhook', 'remove']],
  description: 'Stop a webhook (its undelivered events are dropped)',
  options: [{ name: 'id', type: 'integer', required: true, description: 'The webhook number', min: 1 }] as const,
  example: { id: 1 },
  permission: 'admin',
  async handler(ctx, { id }) {
    if (!(await ctx.app.core.writer.web.removeWebhook(requireGuild(ctx), id))) throw new UserError('not_found', `This server has no webhook #${id}. \`webhook-list\` shows them.`);
    return ok(`Webhook #${id} is removed.`);
  },
});

const webhookList = defineCommand({
  path: ['server', 'web', 'webhook-list'],
  aliases: [['server', 'web', 'webhook', 'list'], ['server', 'web', 'webhook']],
  description: "This server's webhooks and the events each receives",
  options: [] as const,
  example: {},
  permission: 'admin',
  async handler(ctx) {
    const hooks = await ctx.app.core.writer.web.listWebhooks(requireGuild(ctx));
    if (hooks.length === 0) return { content: 'No webhooks. Add one with `/server web webhook-add`.' };
    const lines = hooks.map((h) => `#${h.id} <${h.url}> — ${h.events.join(', ')}`);
    return { embeds: [{ title: 'Webhooks', description: fitLines(lines, LIMITS.description) }] };
  },
});

function parseEvents(text: string | undefined): WebhookEvent[] {
  const words = (text ?? '').split(/[\s,]+/).filter(Boolean).map((w) => w.toLowerCase().replaceAll('-', '_'));
  if (words.length === 0) return [...WEBHOOK_EVENTS];
  const unknown = words.filter((w) => !(WEBHOOK_EVENTS as readonly string[]).includes(w));
  if (unknown.length) throw new UserError('bad_argument', `Unknown event${unknown.length > 1 ? 's' : ''} ${unknown.map((w) => `\`${w.slice(0, 40)}\``).join(', ')}. Choose from ${WEBHOOK_EVENTS.join(', ')}.`);
  return WEBHOOK_EVENTS.filter((e) => words.includes(e));
}


export const webCommands: AnyCommand[] = [webPublic, apikeyCreate, apikeyRevoke, apikeyList, webhookAdd, webhookRemove, webhookList] as AnyCommand[];
