#!/usr/bin/env node
/*
 * Bytes and messages per delivery on every topic a normal delivery crosses
 * (one event, one endpoint, a first-try 200), built by the very functions the
 * services use (the accepted envelope, the delivery request, the signed
 * request headers, the attempt outcome in its v1 and v2 forms with their
 * headers), for the event `npm run bench` sends. Prints one table in
 * Markdown: per topic, the key, value and header bytes of its record, and
 * which consumers parse and validate it.
 *
 *   npm run build && node tools/dist/hop-bytes/main.js
 *
 * The record's framing in Kafka's v2 batch format (length, attributes,
 * timestamp and offset deltas, varint lengths: about 10 bytes a record, plus
 * 61 bytes per batch) is left out: it is the same for every form.
 */
import {
  attemptIdFor,
  attemptOutcome,
  deliveryIdFor,
  headersOfOutcome,
  type AttemptOutcome,
  type AttemptOutcomeV1,
  type DeliveryRequest,
  type EndpointConfig,
  type EndpointId,
  type EventEnvelope,
  type EventId,
  type TenantId,
} from '@hookline/contracts';
import { buildDeliveryRequest, generateSecret, hmacKeyOf } from '@hookline/signing';

const ENDPOINT_ID = '5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11' as EndpointId;
const TENANT = 'bench-0' as TenantId;
const TRACE = { traceparent: `00-${'4bf92f3577b34da6a3ce929d0e0e4736'}-${'00f067aa0ba902b7'}-01` };
const at = new Date('2026-11-29T05:29:00.000Z');

// The bench's event (tools/src/bench/load.ts makeEvent), as ingest accepts it.
const event: EventEnvelope = {
  id: 'r1a2b3c4-pipeline-12345' as EventId,
  tenantId: TENANT,
  type: 'invoice.paid',
  data: {
    invoiceId: 'inv_12345',
    customerId: 'cus_1_26',
    amount: 4545,
    currency: 'EUR',
    status: 'paid',
    lines: [{ sku: 'plan-pro-monthly', quantity: 1, amount: 4200 }],
    seq: 12345,
    sentAt: at.getTime(),
  },
  occurredAt: at.toISOString(),
  receivedAt: at.toISOString(),
};
const deliveryId = deliveryIdFor(TENANT, event.id, ENDPOINT_ID);
const request: DeliveryRequest = {
  deliveryId,
  tenantId: TENANT,
  endpointId: ENDPOINT_ID,
  endpointVersion: 1,
  attempt: 1,
  reason: 'initial',
  requestedAt: at.toISOString(),
  event,
};
const endpoint = { id: ENDPOINT_ID, url: 'http://127.0.0.1:40123/hooks/0', headers: {} } as unknown as EndpointConfig;
const signed = buildDeliveryRequest({
  endpoint,
  schemes: [{ scheme: 'v1', secrets: [hmacKeyOf(generateSecret())] }],
  event,
  deliveryId,
  timestamp: Math.floor(at.getTime() / 1000),
  traceparent: TRACE.traceparent,
  mode: 'live',
});
// What the bench's receiver answers (Node's http server: 200 'ok').
const response = {
  status: 200,
  headers: { 'content-type': 'text/plain', date: at.toUTCString(), connection: 'keep-alive', 'keep-alive': 'timeout=5', 'content-length': '2' },
  body: 'ok',
  bodyTruncated: false,
};
const facts = { url: endpoint.url, requestHeaders: signed.headers, startedAt: at.toISOString(), durationMs: 3 };
const success = { succeeded: true as const, failure: null, response, retryAfterSeconds: null };
const v2: AttemptOutcome = attemptOutcome(attemptIdFor(deliveryId, 1), request, facts, success);
const v1: AttemptOutcomeV1 = { attemptId: attemptIdFor(deliveryId, 1), request, ...facts, ...success };
const failedV2 = attemptOutcome(attemptIdFor(deliveryId, 1), request, facts, {
  succeeded: false,
  failure: { kind: 'http_status', message: 'endpoint answered 503' },
  response: { ...response, status: 503 },
  retryAfterSeconds: null,
});

interface Row {
  topic: string;
  key: string;
  value: unknown;
  headers: Record<string, string>;
  perDelivery: string;
  readers: string;
}
const bytes = (s: string) => Buffer.byteLength(s);
const headerBytes = (h: Record<string, string>) => Object.entries(h).reduce((n, [k, v]) => n + bytes(k) + bytes(v), 0);

const rows: Row[] = [
  {
    topic: 'events.accepted.v1',
    key: TENANT,
    value: event,
    headers: TRACE,
    perDelivery: '1 per event',
    readers: 'rules-engine, log-store: both parse + validate',
  },
  {
    topic: 'deliveries.requested.v1',
    key: ENDPOINT_ID,
    value: request,
    headers: TRACE,
    perDelivery: '1 (+1 per deferral)',
    readers: 'dispatcher, log-store: both parse + validate',
  },
  {
    topic: 'deliveries.deferred.v1',
    key: ENDPOINT_ID,
    value: { request: { ...request, deferrals: 1 }, delayMs: 2000, reason: 'endpoint_backlog' },
    headers: TRACE,
    perDelivery: 'per deferral',
    readers: 'retry-scheduler: parse + validate',
  },
  {
    topic: 'attempts.completed.v1 (before)',
    key: ENDPOINT_ID,
    value: v1,
    headers: TRACE,
    perDelivery: '1',
    readers: 'retry-scheduler, log-store: both parse + validate',
  },
  {
    topic: 'attempts.completed.v2, success (after)',
    key: ENDPOINT_ID,
    value: v2,
    headers: { ...TRACE, ...headersOfOutcome(v2) },
    perDelivery: '1',
    readers: 'log-store parses + validates; retry-scheduler reads key and headers only (attempt 1)',
  },
  {
    topic: 'attempts.completed.v2, failure',
    key: ENDPOINT_ID,
    value: failedV2,
    headers: { ...TRACE, ...headersOfOutcome(failedV2) },
    perDelivery: 'per failed attempt',
    readers: 'retry-scheduler, log-store: both parse + validate',
  },
];

console.log('| topic (`hookline.` omitted) | messages per delivery | key B | value B | headers B | total B | who parses + validates it |');
console.log('|---|---|---:|---:|---:|---:|---|');
for (const r of rows) {
  const value = bytes(JSON.stringify(r.value));
  const h = headerBytes(r.headers);
  console.log(`| ${r.topic} | ${r.perDelivery} | ${bytes(r.key)} | ${value} | ${h} | ${bytes(r.key) + value + h} | ${r.readers} |`);
}
console.log(
  `\nsigned request headers alone (in every outcome, v1 and v2): ${bytes(JSON.stringify(signed.headers))} B; event envelope: ${bytes(JSON.stringify(event))} B`,
);
