import { z } from 'zod';
import type { WindowFigures } from './endpoint-stats.ports';
import type { EndpointStats } from './get-endpoint-stats/get-endpoint-stats.usecase';

/** A share as a fraction rounded to 4 places; null when there is nothing to divide. */
const share = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);

const Rate = z.number().min(0).max(1).nullable().meta({ description: 'a fraction (0-1) rounded to 4 places; null when there is nothing to divide' });

const WindowViewSchema = z.object({
  attempts: z.object({ total: z.number().int(), succeeded: z.number().int(), failed: z.number().int() }),
  successRate: Rate,
  latencyMs: z.object({ p50: z.number(), p95: z.number(), p99: z.number() }).nullable(),
  deliveries: z.object({
    total: z.number().int(),
    pending: z.number().int(),
    failing: z.number().int(),
    succeeded: z.number().int(),
    dead: z.number().int(),
    successRate: Rate,
  }),
});

const HourViewSchema = z.object({
  start: z.string().meta({ description: 'the start of the hour (ISO 8601, UTC)' }),
  attempts: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
});

export const EndpointStatsViewSchema = z.object({
  endpointId: z.string(),
  tenantId: z.string(),
  at: z.string(),
  lastHour: WindowViewSchema,
  lastDay: WindowViewSchema,
  series: z
    .array(HourViewSchema)
    .length(24)
    .meta({ description: 'live attempts per clock hour (UTC), oldest first: the hour now running and the 23 before it, zeros for an hour without any' }),
  lastError: z.object({ at: z.string(), kind: z.string(), status: z.number().int().nullable(), message: z.string().nullable() }).nullable(),
  consecutiveFailures: z.number().int(),
});
export type EndpointStatsView = z.output<typeof EndpointStatsViewSchema>;

function toWindowView(w: WindowFigures): z.output<typeof WindowViewSchema> {
  const finished = w.deliveries.succeeded + w.deliveries.dead;
  return {
    attempts: { total: w.attempts.total, succeeded: w.attempts.succeeded, failed: w.attempts.total - w.attempts.succeeded },
    successRate: share(w.attempts.succeeded, w.attempts.total),
    latencyMs: w.latencyMs,
    deliveries: { total: w.deliveries.pending + w.deliveries.failing + finished, ...w.deliveries, successRate: share(w.deliveries.succeeded, finished) },
  };
}

/** The public shape of an endpoint's health (README, "Admin"). */
export function toEndpointStatsView(s: EndpointStats): EndpointStatsView {
  return {
    endpointId: s.endpointId,
    tenantId: s.tenantId,
    at: s.at.toISOString(),
    lastHour: toWindowView(s.lastHour),
    lastDay: toWindowView(s.lastDay),
    series: s.series.map((h) => ({ start: h.start.toISOString(), attempts: h.attempts, succeeded: h.succeeded, failed: h.attempts - h.succeeded })),
    lastError: s.lastError && { ...s.lastError, at: s.lastError.at.toISOString() },
    consecutiveFailures: s.consecutiveFailures,
  };
}
