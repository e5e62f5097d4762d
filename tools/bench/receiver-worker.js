'use strict';
/*
 * The benchmark's webhook receiver, in a worker thread of its own so that the
 * bench's event sender never delays a receipt timestamp (and the other way
 * round). For every request it:
 *   - verifies the Standard Webhooks signature (HMAC-SHA256 over id.timestamp.body,
 *     node:crypto, constant-time compare, 5-minute window) with the endpoint's
 *     secret, and additionally every SAMPLE_EVERY-th request with the
 *     `standardwebhooks` package as an independent check;
 *   - counts distinct webhook-ids per phase, so a repeated delivery is a
 *     duplicate and never counts as throughput;
 *   - records send-to-receipt latency from the send time embedded in the event
 *     data (`data.sentAt`, epoch ms with sub-ms precision, same clock).
 * Counters live in a SharedArrayBuffer the main thread polls without messages.
 */
const { createHmac, timingSafeEqual } = require('node:crypto');
const { createServer } = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const { Webhook } = require('standardwebhooks');

const SAMPLE_EVERY = 50;
const { runId, counters: countersBuffer, times: timesBuffer } = workerData;
/** Int32 counters per phase, see COUNTER in pipeline.js. */
const counters = new Int32Array(countersBuffer);
/** Float64 per phase: first receipt, last receipt (epoch ms). */
const times = new Float64Array(timesBuffer);
const PHASES = workerData.phases; // e.g. ['w', 'p', 'r']
const FIELDS = workerData.fields; // counter names in order

const now = () => performance.timeOrigin + performance.now();
const idx = (phase, field) => PHASES.indexOf(phase) * FIELDS.length + FIELDS.indexOf(field);
const bump = (phase, field) => Atomics.add(counters, idx(phase, field), 1);

/** path → { key, webhook } */
const endpoints = new Map();
const seen = new Map(PHASES.map((p) => [p, new Set()]));
const latencies = new Map(PHASES.map((p) => [p, []]));
let sample = null;
/** Endpoint paths that received a warm-up delivery. */
const warmPaths = new Set();

function verify(key, id, timestamp, body, signatureHeader) {
  if (!id || !timestamp || !signatureHeader) return false;
  const ts = Number(timestamp);
  if (!Number.isInteger(ts) || Math.abs(Date.now() / 1000 - ts) > 300) return false;
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest();
  for (const part of signatureHeader.split(' ')) {
    const [version, value] = part.split(',', 2);
    if (version !== 'v1' || !value) continue;
    const got = Buffer.from(value, 'base64');
    if (got.length === expected.length && timingSafeEqual(got, expected)) return true;
  }
  return false;
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const receivedAt = now();
    const body = Buffer.concat(chunks);
    const id = req.headers['webhook-id'];
    // ids are `<runId>-<phase>-<seq>`
    const phase = typeof id === 'string' && id.startsWith(`${runId}-`) ? id.charAt(runId.length + 1) : '';
    if (!PHASES.includes(phase)) {
      res.writeHead(200).end('ok');
      return;
    }
    bump(phase, 'requests');
    const endpoint = endpoints.get(req.url);
    let valid = false;
    if (endpoint) {
      valid = verify(endpoint.key, id, req.headers['webhook-timestamp'], body, req.headers['webhook-signature']);
      if (Atomics.load(counters, idx(phase, 'requests')) % SAMPLE_EVERY === 1) {
        try {
          endpoint.webhook.verify(body.toString('utf8'), req.headers);
          bump(phase, 'libVerified');
        } catch {
          bump(phase, 'libFailed');
        }
      }
    }
    if (!valid) bump(phase, 'badSignature');

    const ids = seen.get(phase);
    if (ids.has(id)) {
      bump(phase, 'duplicates');
    } else {
      ids.add(id);
      let sentAt = NaN;
      try {
        sentAt = JSON.parse(body.toString('utf8')).data.sentAt;
      } catch {
        /* counted as a bad body below */
      }
      if (typeof sentAt === 'number') latencies.get(phase).push(receivedAt - sentAt);
      else bump(phase, 'badBody');
      if (phase === 'w') warmPaths.add(req.url);
      if (!sample && phase === 'w') sample = { path: req.url, headers: req.headers, body: body.toString('utf8') };
      const t = PHASES.indexOf(phase) * 2;
      if (times[t] === 0) times[t] = receivedAt;
      times[t + 1] = receivedAt;
      Atomics.add(counters, idx(phase, 'distinct'), 1);
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
});
server.keepAliveTimeout = 60_000;
server.headersTimeout = 65_000;

parentPort.on('message', (msg) => {
  if (msg.type === 'endpoint') {
    endpoints.set(msg.path, { key: secretKey(msg.secret), webhook: new Webhook(msg.secret) });
  } else if (msg.type === 'report') {
    const list = Float64Array.from(latencies.get(msg.phase));
    parentPort.postMessage({ type: 'report', phase: msg.phase, latencies: list, sample }, [list.buffer]);
  } else if (msg.type === 'paths') {
    parentPort.postMessage({ type: 'paths', paths: [...warmPaths] });
  } else if (msg.type === 'stop') {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});

function secretKey(secret) {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
}

server.listen(0, '127.0.0.1', () => parentPort.postMessage({ type: 'listening', port: server.address().port }));
