import type { WindowFigures } from './endpoint-stats.ports';
import type { EndpointStats } from './get-endpoint-stats/get-endpoint-stats.usecase';

/** A share as a fraction rounded to 4 places; null when there is nothing to divide. */
const share = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);

function toWindowView(w: WindowFigures) {
  const finished = w.deliveries.succeeded + w.deliveries.dead;
  return {
    attempts: { total: w.attempts.total, succeeded: w.attempts.succeeded, failed: w.attempts.total - w.attempts.succeeded },
    successRate: share(w.attempts.succeeded, w.attempts.total),
    latencyMs: w.latencyMs,
    deliveries: { total: w.deliveries.pending + w.deliveries.failing + finished, ...w.deliveries, successRate: share(w.deliveries.succeeded, finished) },
  };
}

/** The public shape of an endpoint's health (README, "Admin"). */
export function toEndpointStatsView(s: EndpointStats) {
  return {
    endpointId: s.endpointId,
    tenantId: s.tenantId,
    at: s.at.toISOString(),
    lastHour: toWindowView(s.lastHour),
    lastDay: toWindowView(s.lastDay),
    lastError: s.lastError && { ...s.lastError, at: s.lastError.at.toISOString() },
    consecutiveFailures: s.consecutiveFailures,
  };
}
