/**
 * `/healthz` (DESIGN §14.1): healthy only when the gateway is connected and the last XP flush succeeded (or none
 * was due yet). Anything else is a 503 that names every reason, so an operator reads the cause, not just a code.
 */

/** The bot's state as the health check needs it (the Discord layer provides it). */
export interface HealthState {
  gatewayConnected: boolean;
  flushFailing: boolean;
  stopping: boolean;
}

export type HealthSource = () => HealthState;

export interface HealthReport {
  ok: boolean;
  status: 'ok' | 'unhealthy';
  /** Why it is unhealthy; empty when ok. */
  reasons: string[];
}

export function healthReport(state: HealthState): HealthReport {
  const reasons: string[] = [];
  if (state.stopping) reasons.push('shutting down');
  if (!state.gatewayConnected) reasons.push('gateway not connected');
  if (state.flushFailing) reasons.push('last XP flush failed (gains stay buffered and are retried)');
  return { ok: reasons.length === 0, status: reasons.length === 0 ? 'ok' : 'unhealthy', reasons };
}
