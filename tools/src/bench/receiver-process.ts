/*
 * The benchmark's webhook receiver, a child process of the bench (forked by
 * receiver.ts), so that its CPU shows as a row of its own and the bench's
 * senders never share an event loop or a core with it. For every request it:
 *   - verifies the Standard Webhooks signature (the value @hookline/signing
 *     computes for id.timestamp.body, constant-time compare, 5-minute window)
 *     with the endpoint's secret, and additionally every SAMPLE_EVERY-th
 *     request with the `standardwebhooks` package as an independent check;
 *   - counts distinct webhook-ids per phase, so a repeated delivery is a
 *     duplicate and never counts as throughput;
 *   - records send-to-receipt latency of the first receipt of each webhook-id
 *     from the send time embedded in the event data (`data.sentAt`, epoch ms,
 *     the machine's clock).
 * Counters go to the bench every STATS_EVERY_MS while they change.
 */
import { type KeyObject, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hmacKeyOf, signStandardWebhooks } from '@hookline/signing';
import { Webhook } from 'standardwebhooks';
import {
  emptyStats,
  type Field,
  type FromReceiver,
  now,
  type Phase,
  phaseOf,
  type PhaseStats,
  type SampleDelivery,
  STATS_EVERY_MS,
  type ToReceiver,
} from './counters';

const SAMPLE_EVERY = 50;
const runId = process.argv[2] ?? '';
const send = (message: FromReceiver) => process.send?.(message);

const endpoints = new Map<string, { key: KeyObject; webhook: Webhook }>();
const stats = new Map<Phase, PhaseStats>();
const seen = new Map<Phase, Set<string>>();
const latencies = new Map<Phase, number[]>();
const changed = new Set<Phase>();
let sample: SampleDelivery | null = null;
/** Endpoint paths that received a warm-up delivery. */
const warmPaths = new Set<string>();

function statsOf(phase: Phase): PhaseStats {
  let s = stats.get(phase);
  if (!s) {
    s = emptyStats();
    stats.set(phase, s);
    seen.set(phase, new Set());
    latencies.set(phase, []);
  }
  return s;
}

const bump = (s: PhaseStats, phase: Phase, field: Field) => {
  s.counts[field]++;
  changed.add(phase);
};

function verify(key: KeyObject, id: string, timestamp: string | undefined, body: Buffer, signatureHeader: string | undefined): boolean {
  if (!id || !timestamp || !signatureHeader || !/^\d+$/.test(timestamp)) return false;
  const ts = Number(timestamp);
  if (Math.abs(Date.now() / 1000 - ts) > 300) return false;
  // `v1,<base64>`, as the dispatcher signs with the same library: any one of the header's signatures must be it.
  const expected = Buffer.from(signStandardWebhooks({ secrets: [key], id, timestamp: ts, body }));
  return signatureHeader.split(' ').some((part) => {
    const got = Buffer.from(part);
    return got.length === expected.length && timingSafeEqual(got, expected);
  });
}

const header = (value: string | string[] | undefined) => (typeof value === 'string' ? value : undefined);

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const receivedAt = now();
    const body = Buffer.concat(chunks);
    const id = header(req.headers['webhook-id']) ?? '';
    const path = req.url ?? '/';
    const phase = phaseOf(runId, id);
    if (phase === null) {
      res.writeHead(200).end('ok');
      return;
    }
    const s = statsOf(phase);
    bump(s, phase, 'requests');
    const endpoint = endpoints.get(path);
    let valid = false;
    if (endpoint) {
      valid = verify(endpoint.key, id, header(req.headers['webhook-timestamp']), body, header(req.headers['webhook-signature']));
      if (s.counts.requests % SAMPLE_EVERY === 1) {
        try {
          endpoint.webhook.verify(body.toString('utf8'), req.headers as Record<string, string>);
          bump(s, phase, 'libVerified');
        } catch {
          bump(s, phase, 'libFailed');
        }
      }
    }
    if (!valid) bump(s, phase, 'badSignature');

    const ids = seen.get(phase)!;
    if (ids.has(id)) {
      bump(s, phase, 'duplicates');
    } else {
      ids.add(id);
      let sentAt: unknown = NaN;
      try {
        sentAt = (JSON.parse(body.toString('utf8')) as { data?: { sentAt?: unknown } }).data?.sentAt;
      } catch {
        /* counted as a bad body below */
      }
      if (typeof sentAt === 'number') latencies.get(phase)!.push(receivedAt - sentAt);
      else bump(s, phase, 'badBody');
      if (phase === 'w') warmPaths.add(path);
      if (!sample && phase === 'w') sample = { path, headers: req.headers, body: body.toString('utf8') };
      if (s.first === 0) s.first = receivedAt;
      s.last = receivedAt;
      bump(s, phase, 'distinct');
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
});
server.keepAliveTimeout = 60_000;
server.headersTimeout = 65_000;

const pushStats = () => {
  if (changed.size === 0) return;
  const phases: Record<Phase, PhaseStats> = {};
  for (const phase of changed) phases[phase] = stats.get(phase)!;
  changed.clear();
  send({ type: 'stats', phases });
};
setInterval(pushStats, STATS_EVERY_MS).unref();

process.on('message', (msg: ToReceiver) => {
  if (msg.type === 'endpoint') {
    endpoints.set(msg.path, { key: hmacKeyOf(msg.secret), webhook: new Webhook(msg.secret) });
  } else if (msg.type === 'report') {
    pushStats(); // the counters the bench holds are then at least as new as the report
    send({ type: 'report', phase: msg.phase, latencies: Float64Array.from(latencies.get(msg.phase) ?? []), sample, stats: statsOf(msg.phase) });
  } else if (msg.type === 'paths') {
    send({ type: 'paths', paths: [...warmPaths] });
  } else if (msg.type === 'stop') {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});
// The bench is gone (crashed or killed): nothing to receive for.
process.on('disconnect', () => process.exit(0));

server.listen(0, '127.0.0.1', () => send({ type: 'listening', port: (server.address() as AddressInfo).port }));
