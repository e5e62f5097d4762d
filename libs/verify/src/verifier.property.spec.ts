import fc from 'fast-check';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { WebhookVerificationError, type VerificationErrorCode } from './errors';
import { signedHeaders, type FixtureScheme, type Message } from './fixtures';
import { keyIdOf } from './keys';
import { MemoryNonceStore } from './nonce-store';
import { createWebhookVerifier, type Scheme, type VerifierOptions, type WebhookVerifier } from './verifier';

// 4,000 random messages per property: enough to hit every branch many times over, within the test run's time budget.
const RUNS = { numRuns: 4_000 };
const NOW = new Date();
const NOW_SECONDS = Math.floor(NOW.getTime() / 1000);
// The nonce table runs on the same frozen clock as the verifications.
const nonceStore = () => new MemoryNonceStore({ now: () => NOW.getTime() });

const secretArb = fc.uint8Array({ minLength: 24, maxLength: 64 }).map((b) => `whsec_${Buffer.from(b).toString('base64')}`);
const messageArb: fc.Arbitrary<Message> = fc.record({
  id: fc.stringMatching(/^[\x21-\x7e]{1,48}$/),
  timestamp: fc.integer({ min: -300, max: 300 }).map((d) => String(NOW_SECONDS + d)),
  nonce: fc.uint8Array({ minLength: 16, maxLength: 32 }).map((b) => Buffer.from(b).toString('base64url')),
  path: fc
    .tuple(fc.webPath(), fc.option(fc.webQueryParameters(), { nil: undefined }))
    .map(([p, q]) => `/${p.replace(/^\//, '')}${q === undefined ? '' : `?${q}`}`),
  body: fc.oneof(
    fc.json(),
    fc.string({ unit: 'grapheme', maxLength: 200 }),
    fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
  ),
});

/** One edit to a header value; inserted characters are visible ASCII but never list separators. */
const VISIBLE = fc
  .integer({ min: 0x21, max: 0x7e })
  .filter((c) => c !== 0x2c)
  .map((c) => String.fromCharCode(c));
interface Edit {
  kind: 'replace' | 'insert' | 'delete' | 'truncate';
  at: number;
  ch: string;
}
const editArb: fc.Arbitrary<Edit> = fc.record({ kind: fc.constantFrom('replace', 'insert', 'delete', 'truncate'), at: fc.nat(), ch: VISIBLE });

function edit(value: string, e: Edit): string {
  const i = value.length === 0 ? 0 : e.at % value.length;
  switch (e.kind) {
    case 'insert':
      return value.slice(0, i) + e.ch + value.slice(i);
    case 'delete':
      return value.length === 0 ? e.ch : value.slice(0, i) + value.slice(i + 1);
    case 'truncate':
      return value.slice(0, i);
    case 'replace': {
      if (value.length === 0) return e.ch;
      const ch = value[i] === e.ch ? (e.ch === 'A' ? 'B' : 'A') : e.ch;
      return value.slice(0, i) + ch + value.slice(i + 1);
    }
  }
}

/** A different body, changed at the byte level so no two spellings of one string can collide. */
interface BodyEdit {
  kind: 'flip' | 'insert' | 'delete' | 'append';
  at: number;
  byte: number;
}
const bodyEditArb: fc.Arbitrary<BodyEdit> = fc.record({
  kind: fc.constantFrom('flip', 'insert', 'delete', 'append'),
  at: fc.nat(),
  byte: fc.integer({ min: 0, max: 255 }),
});
function editBody(body: string | Uint8Array, e: BodyEdit): Buffer {
  const bytes = Buffer.from(body);
  const i = bytes.length === 0 ? 0 : e.at % bytes.length;
  if (bytes.length === 0 || e.kind === 'append') return Buffer.concat([bytes, Buffer.from([e.byte])]);
  if (e.kind === 'insert') return Buffer.concat([bytes.subarray(0, i), Buffer.from([e.byte]), bytes.subarray(i)]);
  if (e.kind === 'delete') return Buffer.concat([bytes.subarray(0, i), bytes.subarray(i + 1)]);
  const flipped = Buffer.from(bytes);
  flipped[i] ^= e.byte === 0 ? 1 : e.byte;
  return flipped;
}

async function refusal(
  verifier: WebhookVerifier,
  body: string | Uint8Array,
  headers: Record<string, string>,
  path: string,
): Promise<VerificationErrorCode | `accepted as ${Scheme}`> {
  try {
    return `accepted as ${(await verifier.verify({ body, headers, path, now: NOW })).scheme}`;
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error.code;
    throw error;
  }
}

const SIGNATURE_HEADER: Record<FixtureScheme, string> = {
  v1: 'webhook-signature',
  ed25519: 'webhook-signature',
  'hookline-v1': 'x-hookline-signature',
  'rsa-sha256': 'x-hookline-rsa-signature',
};
const TIMESTAMP_HEADER: Record<FixtureScheme, string> = {
  v1: 'webhook-timestamp',
  ed25519: 'webhook-timestamp',
  'hookline-v1': 'x-hookline-timestamp',
  'rsa-sha256': 'webhook-timestamp',
};

type Field = 'body' | 'timestamp' | 'shifted timestamp' | 'signature' | 'id' | 'nonce' | 'path';
const FIELDS: Record<FixtureScheme, Field[]> = {
  v1: ['body', 'timestamp', 'shifted timestamp', 'signature', 'id'],
  ed25519: ['body', 'timestamp', 'shifted timestamp', 'signature', 'id'],
  'rsa-sha256': ['body', 'timestamp', 'shifted timestamp', 'signature', 'id'],
  'hookline-v1': ['body', 'timestamp', 'shifted timestamp', 'signature', 'nonce', 'path'],
};
// What a refusal may say for each change; anything else (or acceptance) fails the property.
const EXPECTED: Record<Field, VerificationErrorCode[]> = {
  body: ['bad_signature'],
  path: ['bad_signature'],
  id: ['bad_signature', 'missing_header'],
  'shifted timestamp': ['bad_signature', 'timestamp_too_old', 'timestamp_too_new'],
  timestamp: ['bad_signature', 'bad_timestamp', 'missing_header', 'timestamp_too_old', 'timestamp_too_new'],
  nonce: ['bad_signature', 'bad_header', 'missing_header'],
  // e.g. deleting the 'a' of 'v1a,' leaves a v1 entry no secret is configured for
  signature: ['bad_signature', 'missing_header', 'no_key'],
};

interface Tamper {
  field: Field;
  edit: Edit;
  bodyEdit: BodyEdit;
  shift: number;
}
const tamperArb = (scheme: FixtureScheme): fc.Arbitrary<Tamper> =>
  fc.record({
    field: fc.constantFrom(...FIELDS[scheme]),
    edit: editArb,
    bodyEdit: bodyEditArb,
    shift: fc.integer({ min: -300, max: 300 }).filter((d) => d !== 0),
  });

/** Applies one change to one field of a signed request; everything else stays as signed. */
function tamper(scheme: FixtureScheme, m: Message, signed: Record<string, string>, t: Tamper) {
  const headers = { ...signed };
  let body: string | Uint8Array = m.body;
  let path = m.path;
  switch (t.field) {
    case 'body':
      body = editBody(m.body, t.bodyEdit);
      break;
    case 'path':
      path = edit(m.path, t.edit);
      break;
    case 'timestamp':
      headers[TIMESTAMP_HEADER[scheme]] = edit(m.timestamp, t.edit);
      break;
    case 'shifted timestamp':
      headers[TIMESTAMP_HEADER[scheme]] = String(Number(m.timestamp) + t.shift);
      break;
    case 'signature':
      headers[SIGNATURE_HEADER[scheme]] = edit(signed[SIGNATURE_HEADER[scheme]], t.edit);
      break;
    case 'id':
      headers['webhook-id'] = edit(m.id, t.edit);
      break;
    case 'nonce':
      headers['x-hookline-nonce'] = edit(m.nonce, t.edit);
      break;
  }
  return { headers, body, path };
}

async function changedRequestIsRefused(scheme: FixtureScheme, verifier: WebhookVerifier, m: Message, signed: Record<string, string>, t: Tamper) {
  const changed = tamper(scheme, m, signed, t);
  const code = await refusal(verifier, changed.body, changed.headers, changed.path);
  // Refused first, accepted after: a refused forgery must not use up the nonce either.
  const original = await refusal(verifier, m.body, signed, m.path);
  return EXPECTED[t.field].includes(code as VerificationErrorCode) && original === `accepted as ${scheme}`;
}

describe('verifyWebhook properties', () => {
  const ed = Array.from({ length: 4 }, () => generateKeyPairSync('ed25519'));
  const rsa = generateKeyPairSync('rsa', { modulusLength: 3072 });
  const rsaKeyId = keyIdOf(rsa.publicKey);

  describe('any change to body, timestamp, nonce, path, id or signature is refused', () => {
    const verifierFor = (options: VerifierOptions) => createWebhookVerifier({ nonceStore: nonceStore(), ...options });

    it.each(['v1', 'hookline-v1'] as const)('%s', async (scheme) => {
      await fc.assert(
        fc.asyncProperty(secretArb, messageArb, tamperArb(scheme), async (secret, m, t) => {
          const verifier = verifierFor({ secrets: [secret], schemes: [scheme] });
          return changedRequestIsRefused(scheme, verifier, m, signedHeaders(scheme, { secrets: [secret] }, m), t);
        }),
        RUNS,
      );
    });

    it('ed25519', async () => {
      const verifier = verifierFor({ publicKeys: [ed[0].publicKey] });
      await fc.assert(
        fc.asyncProperty(messageArb, tamperArb('ed25519'), async (m, t) =>
          changedRequestIsRefused('ed25519', verifier, m, signedHeaders('ed25519', { ed25519: [ed[0].privateKey] }, m), t),
        ),
        RUNS,
      );
    });

    it('rsa-sha256 (64 requests signed up front, RSA signing being ~3 ms each)', async () => {
      const verifier = verifierFor({ publicKeys: [rsa.publicKey] });
      const pool = fc
        .sample(messageArb, { numRuns: 64, seed: 42 })
        .map((m) => ({ m, signed: signedHeaders('rsa-sha256', { rsa: [{ keyId: rsaKeyId, privateKey: rsa.privateKey }] }, m) }));
      await fc.assert(
        fc.asyncProperty(fc.nat(pool.length - 1), tamperArb('rsa-sha256'), async (i, t) =>
          changedRequestIsRefused('rsa-sha256', verifier, pool[i].m, pool[i].signed, t),
        ),
        RUNS,
      );
    });
  });

  describe('a replayed nonce is refused', () => {
    it('after it was accepted once, also when the copy arrives later', async () => {
      const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
      await fc.assert(
        fc.asyncProperty(messageArb, async (m) => {
          // A verifier (and nonce table) per run: generated nonces repeat across runs.
          const verifier = createWebhookVerifier({ secrets: [secret], nonceStore: nonceStore() });
          const headers = signedHeaders('hookline-v1', { secrets: [secret] }, m);
          const first = await refusal(verifier, m.body, headers, m.path);
          const again = await refusal(verifier, Buffer.from(m.body), { ...headers }, m.path);
          return first === 'accepted as hookline-v1' && again === 'replayed_nonce';
        }),
        RUNS,
      );
    });

    it('when 50 copies arrive at once, exactly one is accepted', async () => {
      const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
      // Each copy starts after its own number of microtask turns, so their awaits interleave differently every run.
      const delaysArb = fc.array(fc.nat(3), { minLength: 50, maxLength: 50 });
      await fc.assert(
        fc.asyncProperty(messageArb, delaysArb, async (m, delays) => {
          const verifier = createWebhookVerifier({ secrets: [secret], nonceStore: nonceStore() });
          const headers = signedHeaders('hookline-v1', { secrets: [secret] }, m);
          const outcomes = await Promise.all(
            delays.map(async (turns) => {
              for (let i = 0; i < turns; i++) await Promise.resolve();
              return refusal(verifier, m.body, headers, m.path);
            }),
          );
          return outcomes.filter((o) => o === 'accepted as hookline-v1').length === 1 && outcomes.filter((o) => o === 'replayed_nonce').length === 49;
        }),
        RUNS,
      );
    });
  });

  describe('rotated keys verify: either key alone accepts a request signed with both', () => {
    it.each(['v1', 'hookline-v1'] as const)('%s', async (scheme) => {
      await fc.assert(
        fc.asyncProperty(secretArb, secretArb, messageArb, async (oldSecret, newSecret, m) => {
          for (const secret of [oldSecret, newSecret]) {
            // A fresh nonce per check, since hookline-v1 accepts each one once.
            const fresh = { ...m, nonce: `${m.nonce}${secret === oldSecret ? 'o' : 'n'}` };
            const headers = signedHeaders(scheme, { secrets: [oldSecret, newSecret] }, fresh);
            const verifier = createWebhookVerifier({ secrets: [secret], nonceStore: nonceStore() });
            if ((await refusal(verifier, fresh.body, headers, fresh.path)) !== `accepted as ${scheme}`) return false;
          }
          return true;
        }),
        RUNS,
      );
    });

    it('ed25519', async () => {
      const pairArb = fc.uniqueArray(fc.nat(ed.length - 1), { minLength: 2, maxLength: 2 });
      const verifiers = ed.map((k) => createWebhookVerifier({ publicKeys: [k.publicKey] }));
      // Which of the two keys the receiver holds is part of the input: at
      // ~160 µs per Ed25519 verification, one check per run keeps this fast.
      await fc.assert(
        fc.asyncProperty(pairArb, fc.boolean(), messageArb, async ([a, b], holdsOld, m) => {
          const keys: KeyObject[] = [ed[a].privateKey, ed[b].privateKey];
          const headers = signedHeaders('ed25519', { ed25519: keys }, m);
          return (await refusal(verifiers[holdsOld ? a : b], m.body, headers, m.path)) === 'accepted as ed25519';
        }),
        RUNS,
      );
    });
  });
});
