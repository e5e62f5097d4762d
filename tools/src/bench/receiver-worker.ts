/*
 * The benchmark's webhook receiver, in a worker thread of its own so that the
 * bench's event sender never delays a receipt timestamp (and the other way
 * round). For every request it:
 *   - verifies the Standard Webhooks signature (the value @hookline/signing
 *     computes for id.timestamp.body, constant-time compare, 5-minute window)
 *     with the endpoint's secret, and additionally every SAMPLE_EVERY-th
 *     request with the `standardwebhooks` package as an independent check;
 *   - counts distinct webhook-ids per phase, so a repeated delivery is a
 *     duplicate and never counts as throughput;
 *   - records send-to-receipt latency from the send time embedded in the event
 *     data (`data.sentAt`, epoch ms with sub-ms precision, same clock).
 * Counters live in a SharedArrayBuffer the main thread polls without messages.
 *
 * TypeScript compiled to dist like the rest of the bench (not a plain .js file
 * loaded by path): it shares the counter layout and message types with the
 * main thread through counters.ts, so the two cannot drift apart, and it is
 * type-checked and linted with them.
 */
import { type KeyObject, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { hmacKeyOf, signStandardWebhooks } from '@hookline/signing';
import { Webhook } from 'standardwebhooks';
import {
  counterIndex,
  type Field,
  firstReceiptIndex,
  type FromWorker,
  now,
  type Phase,
  PHASES,
  type SampleDelivery,
  type ToWorker,
  type WorkerData,
} from './counters';

const SAMPLE_EVERY = 50;
const { runId, counters: countersBuffer, times: timesBuffer } = workerData as WorkerData;
const counters = new Int32Array(countersBuffer);
const times = new Float64Array(timesBuffer);
const port = parentPort!;

const bump = (phase: Phase, field: Field) => Atomics.add(counters, counterIndex(phase, field), 1);
const send = (message: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

const endpoints = new Map<string, { key: KeyObject; webhook: Webhook }>();
const seen = new Map<Phase, Set<string>>(PHASES.map((p) => [p, new Set()]));
const latencies = new Map<Phase, number[]>(PHASES.map((p) => [p, []]));
let sample: SampleDelivery | null = null;
/** Endpoint paths that received a warm-up delivery. */
const warmPaths = new Set<string>();

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
    // ids are `<runId>-<phase>-<seq>`
    const phase = (id.startsWith(`${runId}-`) ? id.charAt(runId.length + 1) : '') as Phase;
    if (!PHASES.includes(phase)) {
      res.writeHead(200).end('ok');
      return;
    }
    bump(phase, 'requests');
    const endpoint = endpoints.get(path);
    let valid = false;
    if (endpoint) {
      valid = verify(endpoint.key, id, header(req.headers['webhook-timestamp']), body, header(req.headers['webhook-signature']));
      if (Atomics.load(counters, counterIndex(phase, 'requests')) % SAMPLE_EVERY === 1) {
        try {
          endpoint.webhook.verify(body.toString('utf8'), req.headers as Record<string, string>);
          bump(phase, 'libVerified');
        } catch {
          bump(phase, 'libFailed');
        }
      }
    }
    if (!valid) bump(phase, 'badSignature');

    const ids = seen.get(phase)!;
    if (ids.has(id)) {
      bump(phase, 'duplicates');
    } else {
      ids.add(id);
      let sentAt: unknown = NaN;
      try {
        sentAt = (JSON.parse(body.toString('utf8')) as { data?: { sentAt?: unknown } }).data?.sentAt;
      } catch {
        /* counted as a bad body below */
      }
      if (typeof sentAt === 'number') latencies.get(phase)!.push(receivedAt - sentAt);
      else bump(phase, 'badBody');
      if (phase === 'w') warmPaths.add(path);
      if (!sample && phase === 'w') sample = { path, headers: req.headers, body: body.toString('utf8') };
      const t = firstReceiptIndex(phase);
      if (times[t] === 0) times[t] = receivedAt;
      times[t + 1] = receivedAt;
      bump(phase, 'distinct');
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
});
server.keepAliveTimeout = 60_000;
server.headersTimeout = 65_000;

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'endpoint') {
    endpoints.set(msg.path, { key: hmacKeyOf(msg.secret), webhook: new Webhook(msg.secret) });
  } else if (msg.type === 'report') {
    const list = Float64Array.from(latencies.get(msg.phase)!);
    send({ type: 'report', phase: msg.phase, latencies: list, sample }, [list.buffer]);
  } else if (msg.type === 'paths') {
    send({ type: 'paths', paths: [...warmPaths] });
  } else if (msg.type === 'stop') {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});

server.listen(0, '127.0.0.1', () => send({ type: 'listening', port: (server.address() as AddressInfo).port }));
