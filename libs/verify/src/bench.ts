// `npm run bench:verify`: time per verification for each scheme on this machine.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { signedHeaders, type FixtureScheme, type Message } from './fixtures';
import { keyIdOf } from './keys';
import { MemoryNonceStore } from './nonce-store';
import { createWebhookVerifier, verifyWebhook, type WebhookRequest, type WebhookVerifier } from './verifier';

interface Case {
  name: string;
  iterations: number;
  /** The i-th request; hookline-v1 needs a fresh nonce each time. */
  request: (i: number) => WebhookRequest;
  verify: (request: WebhookRequest) => Promise<unknown>;
}

const now = new Date();
const secret = `whsec_${randomBytes(32).toString('base64')}`;
const ed = generateKeyPairSync('ed25519');
const rsa = generateKeyPairSync('rsa', { modulusLength: 3072 });
const rsaPem = rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString();
// A typical Hookline envelope of ~1 KiB.
const body = JSON.stringify({
  id: 'evt_2Q8fJ2kA9',
  type: 'invoice.paid',
  occurredAt: now.toISOString(),
  data: { lines: Array.from({ length: 24 }, (_, i) => ({ sku: `sku_${i}`, qty: i, amount: 1999 })) },
});

function message(i = 0): Message {
  return {
    id: 'evt_2Q8fJ2kA9',
    timestamp: String(Math.floor(now.getTime() / 1000)),
    nonce: `${randomBytes(16).toString('base64url')}${i.toString(36)}`,
    path: '/webhooks/hookline?tenant=acme',
    body,
  };
}

function fixed(scheme: FixtureScheme): (i: number) => WebhookRequest {
  const m = message();
  const request = {
    body: m.body,
    headers: signedHeaders(scheme, { secrets: [secret], ed25519: [ed.privateKey], rsa: [{ keyId: keyIdOf(rsa.publicKey), privateKey: rsa.privateKey }] }, m),
    path: m.path,
    now,
  };
  return () => request;
}

function cases(): Case[] {
  const hmac = createWebhookVerifier({ secrets: [secret] });
  const rotating = createWebhookVerifier({ secrets: [`whsec_${randomBytes(32).toString('base64')}`, secret] });
  const keys = createWebhookVerifier({ publicKeys: [ed.publicKey, rsaPem] });
  const via = (v: WebhookVerifier) => (r: WebhookRequest) => v.verify(r);
  const hooklineIterations = 100_000;
  // hookline-v1 refuses a nonce it has seen, so every iteration gets its own signed request.
  const hooklineRequests = Array.from({ length: hooklineIterations * 1.1 }, (_, i) => {
    const m = message(i);
    return { body: m.body, headers: signedHeaders('hookline-v1', { secrets: [secret] }, m), path: m.path, now };
  });
  const hookline = createWebhookVerifier({ secrets: [secret], nonceStore: new MemoryNonceStore({ maxEntries: hooklineRequests.length }) });
  const refused = fixed('v1')(0);
  const tampered = { ...refused, body: `${body} ` };
  return [
    { name: 'v1 (HMAC-SHA256)', iterations: 100_000, request: fixed('v1'), verify: via(hmac) },
    { name: 'v1, two secrets configured', iterations: 100_000, request: fixed('v1'), verify: via(rotating) },
    { name: 'v1, refused (body changed)', iterations: 100_000, request: () => tampered, verify: (r) => hmac.verify(r).catch(() => undefined) },
    { name: 'hookline-v1 (HMAC + nonce table)', iterations: hooklineIterations, request: (i) => hooklineRequests[i], verify: via(hookline) },
    { name: 'ed25519 (v1a)', iterations: 10_000, request: fixed('ed25519'), verify: via(keys) },
    { name: 'rsa-sha256 (3072-bit)', iterations: 20_000, request: fixed('rsa-sha256'), verify: via(keys) },
    { name: 'v1 one-shot verifyWebhook()', iterations: 100_000, request: fixed('v1'), verify: (r) => verifyWebhook({ ...r, secrets: [secret] }) },
    {
      name: 'rsa-sha256 one-shot, PEM parsed per call',
      iterations: 10_000,
      request: fixed('rsa-sha256'),
      verify: (r) => verifyWebhook({ ...r, publicKeys: [rsaPem] }),
    },
  ];
}

async function measure(c: Case): Promise<{ mean: number; p50: number; p99: number }> {
  const warmup = Math.ceil(c.iterations / 10);
  for (let i = 0; i < warmup; i++) await c.verify(c.request(c.iterations + i));
  const samples = new Float64Array(c.iterations);
  const started = process.hrtime.bigint();
  for (let i = 0; i < c.iterations; i++) {
    const request = c.request(i);
    const t0 = process.hrtime.bigint();
    await c.verify(request);
    samples[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  const mean = Number(process.hrtime.bigint() - started) / 1000 / c.iterations;
  samples.sort();
  return { mean, p50: samples[Math.floor(c.iterations * 0.5)], p99: samples[Math.floor(c.iterations * 0.99)] };
}

async function main(): Promise<void> {
  const cpu = cpus();
  console.log(
    `@hookline/verify benchmark: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, Node ${process.version}, body ${Buffer.byteLength(body)} bytes`,
  );
  console.log(
    `${'scheme'.padEnd(42)} ${'iterations'.padStart(10)} ${'mean µs'.padStart(9)} ${'p50 µs'.padStart(8)} ${'p99 µs'.padStart(8)} ${'ops/s'.padStart(9)}`,
  );
  for (const c of cases()) {
    const r = await measure(c);
    console.log(
      `${c.name.padEnd(42)} ${String(c.iterations).padStart(10)} ${r.mean.toFixed(1).padStart(9)} ${r.p50.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)} ${Math.round(
        1e6 / r.mean,
      )
        .toLocaleString('en-US')
        .padStart(9)}`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
