/**
 * Interaction callbacks and the interaction webhook. These carry no Authorization header: Discord
 * authenticates them by the interaction token in the path.
 */
import type { SimContext } from '../context.js';
import { json, type Route } from '../server.js';
import { toMessage } from '../serialize.js';

export function interactionRoutes(ctx: SimContext): Route[] {
  const { interactions } = ctx;
  return [
    {
      method: 'POST',
      path: '/interactions/:interactionId/:token/callback',
      auth: false,
      handle: ({ params, query, body, files }) => {
        const response = interactions.callback(
          params.interactionId ?? '',
          params.token ?? '',
          body,
          files,
          query.get('with_response') === 'true',
        );
        return response === undefined ? undefined : json(response);
      },
    },
    {
      method: 'POST',
      path: '/webhooks/:appId/:token',
      auth: false,
      handle: ({ params, query, body, files }) => {
        const record = interactions.fromWebhook(params.appId ?? '', params.token ?? '');
        const message = interactions.followUp(record, body, files);
        // Without ?wait=true Discord answers 204 and the caller never sees the message.
        return query.get('wait') === 'true' ? json(toMessage(ctx.state, message)) : undefined;
      },
    },
    {
      method: 'GET',
      path: '/webhooks/:appId/:token/messages/:messageId',
      auth: false,
      handle: ({ params }) => {
        const record = interactions.fromWebhook(params.appId ?? '', params.token ?? '');
        return json(toMessage(ctx.state, interactions.webhookMessage(record, params.messageId ?? '')));
      },
    },
    {
      method: 'PATCH',
      path: '/webhooks/:appId/:token/messages/:messageId',
      auth: false,
      handle: ({ params, body, files }) => {
        const record = interactions.fromWebhook(params.appId ?? '', params.token ?? '');
        const message = interactions.editWebhookMessage(record, params.messageId ?? '', body ?? {}, files);
        return json(toMessage(ctx.state, message));
      },
    },
    {
      method: 'DELETE',
      path: '/webhooks/:appId/:token/messages/:messageId',
      auth: false,
      handle: ({ params }) => {
        const record = interactions.fromWebhook(params.appId ?? '', params.token ?? '');
        interactions.deleteWebhookMessage(record, params.messageId ?? '');
        return undefined;
      },
    },
  ];
}
