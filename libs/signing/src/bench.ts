// `npm run bench:sign`: CPU time per signed attempt for each scheme on this machine.
// The dispatcher signs on its event loop, so this is a floor on its CPU per delivery.
import { cpus } from 'node:os';
import { generateEd25519KeyPair } from './ed25519';
import { hmacKeyOf, loadPrivateKey } from './keys';
import { generateRsaKeyPair } from './rsa-sha256';
import { signRequest, type SchemeConfig } from './sign-request';
import { generateSecret } from './standard-webhooks';

// A typical Hookline envelope of ~1 KiB.
const body = JSON.stringify({
  id: 'evt_2Q8fJ2kA9',
  type: 'invoice.paid',
  occurredAt: new Date().toISOString(),
  data: { lines: Array.from({ length: 24 }, (_, i) => ({ sku: `sku_${i}`, qty: i, amount: 1999 })) },
});
// Decoded once, as the dispatcher keeps them per endpoint version.
const secrets = [generateSecret(), generateSecret()].map(hmacKeyOf);
const ed = loadPrivateKey(generateEd25519KeyPair().privateKey);
const rsa = (modulusLength: 2048 | 3072 | 4096) => {
  const pair = generateRsaKeyPair({ modulusLength });
  return { keyId: pair.keyId, privateKey: loadPrivateKey(pair.privateKey) };
};
const [rsa2048, rsa3072, rsa4096] = [rsa(2048), rsa(3072), rsa(4096)];

const cases: { name: string; iterations: number; schemes: SchemeConfig[] }[] = [
  { name: 'v1 (HMAC-SHA256)', iterations: 100_000, schemes: [{ scheme: 'v1', secrets: secrets.slice(0, 1) }] },
  { name: 'v1, two secrets (rotation)', iterations: 100_000, schemes: [{ scheme: 'v1', secrets }] },
  { name: 'hookline-v1 (HMAC-SHA256 + nonce)', iterations: 100_000, schemes: [{ scheme: 'hookline-v1', secrets: secrets.slice(0, 1) }] },
  { name: 'ed25519 (v1a)', iterations: 20_000, schemes: [{ scheme: 'ed25519', privateKeys: [ed] }] },
  { name: 'rsa-sha256, 2048-bit key', iterations: 2_000, schemes: [{ scheme: 'rsa-sha256', keys: [rsa2048] }] },
  { name: 'rsa-sha256, 3072-bit key (default)', iterations: 1_000, schemes: [{ scheme: 'rsa-sha256', keys: [rsa3072] }] },
  { name: 'rsa-sha256, 4096-bit key', iterations: 500, schemes: [{ scheme: 'rsa-sha256', keys: [rsa4096] }] },
  {
    name: 'all four schemes (rsa 3072)',
    iterations: 1_000,
    schemes: [
      { scheme: 'v1', secrets: secrets.slice(0, 1) },
      { scheme: 'hookline-v1', secrets: secrets.slice(0, 1) },
      { scheme: 'ed25519', privateKeys: [ed] },
      { scheme: 'rsa-sha256', keys: [rsa3072] },
    ],
  },
];

function measure(schemes: SchemeConfig[], iterations: number): { mean: number; p50: number; p99: number } {
  const sign = (i: number) => signRequest({ schemes, id: `evt_${i}`, timestamp: 1_795_340_000 + i, body, path: '/webhooks/hookline?tenant=acme' });
  for (let i = 0; i < Math.ceil(iterations / 10); i++) sign(i);
  const samples = new Float64Array(iterations);
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) {
    const t0 = process.hrtime.bigint();
    sign(i);
    samples[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  const mean = Number(process.hrtime.bigint() - started) / 1000 / iterations;
  samples.sort();
  return { mean, p50: samples[Math.floor(iterations * 0.5)], p99: samples[Math.floor(iterations * 0.99)] };
}

const cpu = cpus();
console.log(
  `@hookline/signing benchmark: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, Node ${process.version}, body ${Buffer.byteLength(body)} bytes`,
);
console.log(
  `${'scheme'.padEnd(36)} ${'iterations'.padStart(10)} ${'mean µs'.padStart(9)} ${'p50 µs'.padStart(8)} ${'p99 µs'.padStart(8)} ${'ops/s'.padStart(9)}`,
);
for (const c of cases) {
  const r = measure(c.schemes, c.iterations);
  console.log(
    `${c.name.padEnd(36)} ${String(c.iterations).padStart(10)} ${r.mean.toFixed(1).padStart(9)} ${r.p50.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)} ${Math.round(
      1e6 / r.mean,
    )
      .toLocaleString('en-US')
      .padStart(9)}`,
  );
}
