/**
 * The events a webhook can receive (DESIGN §14.4). `season_closed` is accepted now so a webhook can ask for it; it is
 * sent once seasons exist.
 */
export const WEBHOOK_EVENTS = ['level_up', 'role_reward_given', 'role_reward_failed', 'currency_paid', 'season_closed'] as const;

export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
