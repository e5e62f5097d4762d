import type { Client } from 'pg';

/*
 * A delivery log of a given size, made by PostgreSQL itself (generate_series),
 * shaped like a busy installation's last 30 days:
 * - 8 tenants of very different sizes (40 % of the traffic down to 2 %), each
 *   with 50 endpoints of uneven traffic, 12 event types of uneven frequency;
 * - 1.5 deliveries per event; 84 % of deliveries succeed at once, 8 % after
 *   3 attempts, 5 % end dead after 11, ~2 % succeed on a second attempt; the
 *   ones still `failing` or `pending` are the last day's and last half hour's
 *   (a few thousand among millions: the needles an operator looks for);
 *   1 in 1,000 is a test send;
 * - times at millisecond precision, as log-store writes them, spread evenly;
 *   rows are inserted oldest first, as the log grows.
 * So ~1.68 attempts per delivery: 10 M attempts ≈ 6 M deliveries, 4 M events.
 */

export const TENANTS = ['acme', 'globex', 'initech', 'umbrella', 'hooli', 'stark', 'wayne', 'tyrell'];
const TENANT_BOUNDS = [40, 60, 72, 82, 89, 94, 98, 100];
export const EVENT_TYPES = [
  'invoice.paid',
  'invoice.created',
  'ticket.created',
  'ticket.updated',
  'invoice.voided',
  'customer.created',
  'customer.updated',
  'subscription.renewed',
  'subscription.cancelled',
  'payment.failed',
  'payout.sent',
  'dispute.opened',
];
export const ENDPOINTS_PER_TENANT = 50;
export const ATTEMPTS_PER_DELIVERY = 1.68;

/** A version 4 uuid derived from a text (as the API accepts ids: version and variant bits set). */
const uuidOf = (text: string) => `overlay(overlay(md5(${text}) placing '4' from 13) placing '8' from 17)::uuid`;

/** The uuid of endpoint `e` of tenant `t` (index 0 is each tenant's busiest endpoint). */
export const endpointUuidSql = (t: string, e: string) => uuidOf(`'endpoint-' || (${t}) || '-' || (${e})`);

const tenantOf = (ev: string) =>
  `(ARRAY[${TENANTS.map((t) => `'${t}'`).join(',')}])[CASE ${TENANT_BOUNDS.map((b, i) => `WHEN (${ev} * 7919) % 100 < ${b} THEN ${i + 1}`).join(' ')} END]`;
const tenantIndexOf = (ev: string) => `(CASE ${TENANT_BOUNDS.map((b, i) => `WHEN (${ev} * 7919) % 100 < ${b} THEN ${i}`).join(' ')} END)`;
const typeOf = (ev: string) =>
  `(ARRAY[${EVENT_TYPES.map((t) => `'${t}'`).join(',')}])[1 + floor(power(((${ev} * 31) % 100) / 100.0, 2) * ${EVENT_TYPES.length})::int]`;
const receivedAt = (ev: string, events: number) => `date_trunc('milliseconds', $1::timestamptz + (${ev}::float8 / ${events}) * interval '30 days')`;

export interface FillPlan {
  deliveries: number;
  events: number;
}

export function planFor(attempts: number): FillPlan {
  const deliveries = Math.round(attempts / ATTEMPTS_PER_DELIVERY);
  return { deliveries, events: Math.floor(((deliveries - 1) * 2) / 3) + 1 };
}

/** Fills events, deliveries and attempts in chunks (progress after each); `start` is the oldest receipt time. */
export async function fill(db: Client, plan: FillPlan, start: Date, log: (msg: string) => void, chunk = 1_000_000): Promise<void> {
  for (let from = 0; from < plan.events; from += chunk) {
    const to = Math.min(plan.events, from + chunk) - 1;
    await db.query(
      `INSERT INTO events (tenant_id, id, type, data, occurred_at, received_at)
       SELECT ${tenantOf('ev')}, 'evt_' || ev, ${typeOf('ev')},
              jsonb_build_object('id', 'obj_' || ev, 'amount', (ev * 13) % 100000, 'currency', 'eur', 'note', repeat('x', 40)),
              ${receivedAt('ev', plan.events)} - interval '1 second', ${receivedAt('ev', plan.events)}
       FROM generate_series(${from}::bigint, ${to}::bigint) AS ev`,
      [start],
    );
    log(`events ${to + 1}/${plan.events}`);
  }
  for (let from = 0; from < plan.deliveries; from += chunk) {
    const to = Math.min(plan.deliveries, from + chunk) - 1;
    // r picks the outcome; the event (ev) decides tenant, type and time, so both deliveries of an event agree on them.
    await db.query(
      `INSERT INTO deliveries (id, tenant_id, event_id, endpoint_id, event_type, status, attempt_count, last_attempt_at, last_response_status, created_at, updated_at, mode)
       SELECT ${uuidOf(`'delivery-' || n`)}, ${tenantOf('ev')}, 'evt_' || ev,
              ${endpointUuidSql(tenantIndexOf('ev'), `floor(power(((n * 104729) % 1000) / 1000.0, 2) * ${ENDPOINTS_PER_TENANT})::int`)},
              ${typeOf('ev')}, o.status, o.attempts,
              CASE WHEN o.attempts > 0 THEN at + (o.attempts - 1) * interval '10 minutes' END,
              CASE WHEN o.attempts = 0 THEN NULL WHEN o.status = 'succeeded' THEN 200 ELSE 503 END,
              at, at, CASE WHEN abs(hashtext(n::text)) % 1000 = 0 THEN 'test' ELSE 'live' END
       FROM generate_series(${from}::bigint, ${to}::bigint) AS n,
            LATERAL (SELECT n * 2 / 3 AS ev, (n * 37) % 1000 AS r) k,
            LATERAL (SELECT ${receivedAt('ev', plan.events)} AS at, 30 * (1 - ev::float8 / ${plan.events}) AS age_days) t,
            LATERAL (SELECT * FROM (VALUES (
              CASE WHEN r < 920 OR r >= 990 THEN 'succeeded'
                   WHEN r < 950 THEN 'dead'
                   WHEN r < 970 THEN CASE WHEN age_days < 1 THEN 'failing' ELSE 'dead' END
                   ELSE CASE WHEN age_days < 0.02 THEN 'pending' ELSE 'succeeded' END END,
              CASE WHEN r < 840 OR r >= 990 THEN 1
                   WHEN r < 920 THEN 3
                   WHEN r < 950 THEN 11
                   WHEN r < 970 THEN CASE WHEN age_days < 1 THEN 4 ELSE 11 END
                   ELSE CASE WHEN age_days < 0.02 THEN 0 ELSE 2 END END)) AS v(status, attempts)) o`,
      [start],
    );
    log(`deliveries ${to + 1}/${plan.deliveries}`);
  }
  // Attempts in slices of the deliveries' time, so each statement stays a size that reports progress.
  const slices = Math.max(1, Math.ceil(plan.deliveries / chunk));
  for (let s = 0; s < slices; s++) {
    await db.query(
      `INSERT INTO attempts (id, delivery_id, tenant_id, endpoint_id, attempt_number, url, succeeded, failure_kind, failure_message, request_headers,
                             response_status, response_headers, response_body, response_body_truncated, duration_ms, started_at, mode)
       SELECT ${uuidOf(`d.id::text || '-' || k`)}, d.id, d.tenant_id, d.endpoint_id, k, 'https://hooks.' || d.tenant_id || '.example.com/in', ok,
              CASE WHEN ok THEN NULL WHEN k % 4 = 0 THEN 'network' ELSE 'http_status' END,
              CASE WHEN ok THEN NULL WHEN k % 4 = 0 THEN 'connect ECONNREFUSED' ELSE 'HTTP 503' END,
              jsonb_build_object('content-type', 'application/json', 'webhook-id', d.event_id,
                                 'webhook-timestamp', extract(epoch FROM d.created_at)::bigint::text,
                                 'webhook-signature', 'v1,' || encode(decode(md5(d.id::text || k), 'hex'), 'base64'),
                                 'x-hookline-event', d.event_type, 'x-hookline-delivery', d.id::text, 'idempotency-key', d.id::text,
                                 'traceparent', '00-' || md5(d.id::text) || '-' || left(md5(k::text), 16) || '-01'),
              CASE WHEN ok THEN 200 WHEN k % 4 = 0 THEN NULL ELSE 503 END,
              CASE WHEN k % 4 = 0 AND NOT ok THEN NULL ELSE '{"content-type":"application/json"}'::jsonb END,
              CASE WHEN ok THEN '{"received":true}' WHEN k % 4 = 0 THEN NULL ELSE '{"error":"upstream unavailable, try again later"}' END,
              false, 40 + (abs(hashtext(d.id::text || k)) % 900), d.created_at + (k - 1) * interval '10 minutes', d.mode
       FROM deliveries d, generate_series(1, d.attempt_count) AS k, LATERAL (SELECT k = d.attempt_count AND d.status = 'succeeded' AS ok) o
       WHERE d.created_at >= $1::timestamptz + ${s} * ($2::interval / ${slices}) AND (${s === slices - 1} OR d.created_at < $1::timestamptz + ${s + 1} * ($2::interval / ${slices}))`,
      [start, '30 days'],
    );
    log(`attempts: slice ${s + 1}/${slices} of the deliveries`);
  }
}
