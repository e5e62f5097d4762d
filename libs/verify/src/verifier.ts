import { createHmac, timingSafeEqual, verify as verifySignature } from 'node:crypto';
import { WebhookVerificationError } from './errors';
import { HEADERS, RequestHeaders, type HeaderBag } from './headers';
import { loadPublicKey, loadSecret, type PublicKeyConfig, type TrustedKey } from './keys';
import { MemoryNonceStore, type NonceStore } from './nonce-store';
import { KEY_ID_PATTERN as KEY_ID, MAX_ASYMMETRIC_SIGNATURES, NONCE_PATTERN as NONCE } from './wire';

export type Scheme = 'v1' | 'hookline-v1' | 'ed25519' | 'rsa-sha256';

/** Tried in this order when a request carries several; the first one present and keyed is the one checked. */
const PREFERENCE: readonly Scheme[] = ['hookline-v1', 'ed25519', 'rsa-sha256', 'v1'];

export const DEFAULT_TOLERANCE_SECONDS = 300;

export interface VerifierOptions {
  /** `whsec_` secrets for `v1` and `hookline-v1`; during a rotation, old and new. */
  secrets?: readonly string[];
  /** Trusted Ed25519 (`ed25519`) and RSA (`rsa-sha256`) public keys. */
  publicKeys?: readonly PublicKeyConfig[];
  /**
   * The schemes accepted. Pin the one your endpoint is configured with: with
   * the default (every scheme the keys allow) a request signed with several
   * can be stripped down to the weakest, e.g. `v1`, which has no nonce.
   */
  schemes?: readonly Scheme[];
  /** Accepted clock difference either way, in seconds. Default 300. */
  toleranceSeconds?: number;
  /** Replay table for `hookline-v1` nonces. Default: an in-memory store owned by the verifier. */
  nonceStore?: NonceStore;
}

export interface WebhookRequest {
  /** The raw body exactly as received: not parsed JSON, not re-serialised. */
  body: string | Uint8Array;
  headers: HeaderBag;
  /** Path and query as received (Express `req.originalUrl`); needed for `hookline-v1`. */
  path?: string;
  /** The current time; injectable for tests (give the nonce store the same clock). */
  now?: Date;
}

export interface VerifiedWebhook {
  scheme: Scheme;
  /** `webhook-id`, present only when the signature covers it (not for `hookline-v1`). */
  id?: string;
  /** The signed Unix timestamp in seconds. */
  timestamp: number;
  /** `hookline-v1` only. */
  nonce?: string;
  /** `rsa-sha256` only: the id of the key that verified. */
  keyId?: string;
}

export interface WebhookVerifier {
  verify(request: WebhookRequest): Promise<VerifiedWebhook>;
}

const TIMESTAMP = /^[0-9]{1,10}$/;
const LIST = /[\s,]+/;

function tooManySignatures(header: string): WebhookVerificationError {
  return new WebhookVerificationError('bad_header', `header ${header} lists more than ${MAX_ASYMMETRIC_SIGNATURES} signatures`, header);
}

/** Equal strings, in time independent of where they differ; unequal lengths are simply unequal. */
function safeEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Base64 decoding that refuses anything but the one canonical spelling, so no altered signature text verifies. */
function strictBase64(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64');
  return bytes.length > 0 && bytes.toString('base64') === text ? bytes : undefined;
}

function content(prefix: string, body: string | Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(prefix), typeof body === 'string' ? Buffer.from(body) : body]);
}

/**
 * A verifier with its keys loaded once; keep one per endpoint configuration
 * for the lowest cost per request and so its nonce table persists.
 */
export function createWebhookVerifier(options: VerifierOptions): WebhookVerifier {
  const secrets = (options.secrets ?? []).map(loadSecret);
  const keys = (options.publicKeys ?? []).map(loadPublicKey);
  const ed25519Keys = keys.filter((k) => k.type === 'ed25519');
  const rsaKeys = keys.filter((k) => k.type === 'rsa');
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (!Number.isSafeInteger(tolerance) || tolerance < 0) throw new RangeError('toleranceSeconds must be a non-negative integer');
  const nonceStore = options.nonceStore ?? new MemoryNonceStore();
  const accepted = new Set<Scheme>(options.schemes ?? PREFERENCE);
  for (const scheme of accepted)
    if (!PREFERENCE.includes(scheme)) throw new TypeError(`unknown scheme ${String(scheme)}; expected one of ${PREFERENCE.join(', ')}`);
  const keyed: Record<Scheme, boolean> = {
    v1: secrets.length > 0,
    'hookline-v1': secrets.length > 0,
    ed25519: ed25519Keys.length > 0,
    'rsa-sha256': rsaKeys.length > 0,
  };
  if (![...accepted].some((s) => keyed[s])) throw new TypeError('no secret or public key for any accepted scheme');

  function checkTimestamp(text: string, header: string, now: Date): number {
    if (!TIMESTAMP.test(text)) throw new WebhookVerificationError('bad_timestamp', `header ${header} must be 1–10 digits of Unix seconds`, header);
    const timestamp = Number(text);
    const nowSeconds = Math.floor(now.getTime() / 1000);
    if (nowSeconds - timestamp > tolerance) {
      throw new WebhookVerificationError('timestamp_too_old', `header ${header} is ${nowSeconds - timestamp} s old; the tolerance is ${tolerance} s`, header);
    }
    if (timestamp - nowSeconds > tolerance) {
      throw new WebhookVerificationError(
        'timestamp_too_new',
        `header ${header} is ${timestamp - nowSeconds} s in the future; the tolerance is ${tolerance} s`,
        header,
      );
    }
    return timestamp;
  }

  function standardEntries(headers: RequestHeaders, version: 'v1' | 'v1a'): string[] {
    const value = headers.list(HEADERS.signature, ' ');
    if (value === undefined) return [];
    const prefix = `${version},`;
    return value
      .split(/[ \t]+/)
      .filter((entry) => entry.startsWith(prefix))
      .map((entry) => entry.slice(prefix.length));
  }

  function present(scheme: Scheme, headers: RequestHeaders): boolean {
    switch (scheme) {
      case 'hookline-v1':
        return headers.list(HEADERS.hooklineSignature, ',') !== undefined;
      case 'rsa-sha256':
        return headers.list(HEADERS.rsaSignature, ',') !== undefined;
      case 'ed25519':
        return standardEntries(headers, 'v1a').length > 0;
      case 'v1':
        return standardEntries(headers, 'v1').length > 0;
    }
  }

  function badSignature(header: string): WebhookVerificationError {
    return new WebhookVerificationError('bad_signature', `no signature in header ${header} matches`, header);
  }

  async function verifyHooklineV1(headers: RequestHeaders, request: WebhookRequest, now: Date): Promise<VerifiedWebhook> {
    const signatures = headers.list(HEADERS.hooklineSignature, ',') as string;
    const timestampText = headers.required(HEADERS.hooklineTimestamp);
    const nonce = headers.required(HEADERS.hooklineNonce);
    if (request.path === undefined) throw new TypeError('hookline-v1 signs the request path: pass path (e.g. req.originalUrl)');
    const timestamp = checkTimestamp(timestampText, HEADERS.hooklineTimestamp, now);
    if (!NONCE.test(nonce))
      throw new WebhookVerificationError('bad_header', `header ${HEADERS.hooklineNonce} must be 16–128 base64url characters`, HEADERS.hooklineNonce);
    const signed = `${timestampText}.${nonce}.${request.path}.`;
    const expected = secrets.map((key) => `sha256=${createHmac('sha256', key).update(signed).update(request.body).digest('hex')}`);
    const given = signatures.split(LIST).filter(Boolean);
    if (!given.some((entry) => expected.some((e) => safeEqual(entry, e)))) throw badSignature(HEADERS.hooklineSignature);
    // Remembered only once the signature holds, or forged requests could fill
    // the table and push real nonces out. The window works in whole seconds, so
    // its last accepted second ends at (timestamp + tolerance + 1) s.
    if (!(await nonceStore.checkAndRemember(nonce, (timestamp + tolerance + 1) * 1000))) {
      throw new WebhookVerificationError('replayed_nonce', `header ${HEADERS.hooklineNonce} was already used`, HEADERS.hooklineNonce);
    }
    return { scheme: 'hookline-v1', timestamp, nonce };
  }

  function standardContext(headers: RequestHeaders, now: Date) {
    const id = headers.required(HEADERS.id);
    const timestampText = headers.required(HEADERS.timestamp);
    const timestamp = checkTimestamp(timestampText, HEADERS.timestamp, now);
    return { id, timestamp, signed: `${id}.${timestampText}.` };
  }

  function verifyV1(headers: RequestHeaders, request: WebhookRequest, now: Date): VerifiedWebhook {
    const { id, timestamp, signed } = standardContext(headers, now);
    const expected = secrets.map((key) => createHmac('sha256', key).update(signed).update(request.body).digest('base64'));
    if (!standardEntries(headers, 'v1').some((entry) => expected.some((e) => safeEqual(entry, e)))) throw badSignature(HEADERS.signature);
    return { scheme: 'v1', id, timestamp };
  }

  function verifyEd25519(headers: RequestHeaders, request: WebhookRequest, now: Date): VerifiedWebhook {
    const { id, timestamp, signed } = standardContext(headers, now);
    const entries = standardEntries(headers, 'v1a');
    if (entries.length > MAX_ASYMMETRIC_SIGNATURES) throw tooManySignatures(HEADERS.signature);
    const data = content(signed, request.body);
    for (const entry of entries) {
      const signature = strictBase64(entry);
      if (signature?.length !== 64) continue;
      if (ed25519Keys.some((k) => verifySignature(null, data, k.key, signature))) return { scheme: 'ed25519', id, timestamp };
    }
    throw badSignature(HEADERS.signature);
  }

  function verifyRsa(headers: RequestHeaders, request: WebhookRequest, now: Date): VerifiedWebhook {
    const signatures = (headers.list(HEADERS.rsaSignature, ',') as string).split(LIST).filter(Boolean);
    if (signatures.length > MAX_ASYMMETRIC_SIGNATURES) throw tooManySignatures(HEADERS.rsaSignature);
    const keyIds = headers.list(HEADERS.keyId, ',')?.split(LIST).filter(Boolean);
    if (keyIds && (keyIds.length !== signatures.length || !keyIds.every((k) => KEY_ID.test(k)))) {
      throw new WebhookVerificationError('bad_header', `header ${HEADERS.keyId} must list one key id per signature in ${HEADERS.rsaSignature}`, HEADERS.keyId);
    }
    const { id, timestamp, signed } = standardContext(headers, now);
    const data = content(signed, request.body);
    let anyKnownKey = !keyIds;
    for (const [i, entry] of signatures.entries()) {
      const candidates: TrustedKey[] = keyIds ? rsaKeys.filter((k) => k.keyId() === keyIds[i]) : rsaKeys;
      if (candidates.length > 0) anyKnownKey = true;
      const signature = strictBase64(entry);
      if (!signature) continue;
      const key = candidates.find((k) => verifySignature('sha256', data, k.key, signature));
      if (key) return { scheme: 'rsa-sha256', id, timestamp, keyId: keyIds?.[i] ?? key.keyId() };
    }
    if (!anyKnownKey) throw new WebhookVerificationError('no_key', `no trusted public key has an id listed in header ${HEADERS.keyId}`, HEADERS.keyId);
    throw badSignature(HEADERS.rsaSignature);
  }

  return {
    async verify(request) {
      if (typeof request.body !== 'string' && !(request.body instanceof Uint8Array)) {
        throw new TypeError('body must be the raw request body (string or Buffer), not parsed JSON');
      }
      const headers = new RequestHeaders(request.headers);
      const now = request.now ?? new Date();
      // An invalid Date compares false against everything and would open the window wide.
      if (Number.isNaN(now.getTime())) throw new TypeError('now is an invalid Date');
      const offered: Scheme[] = [];
      for (const s of PREFERENCE) {
        if (!accepted.has(s) || !present(s, headers)) continue;
        offered.push(s);
        if (keyed[s]) break;
      }
      const scheme = offered.find((s) => keyed[s]);
      switch (scheme) {
        case 'hookline-v1':
          return verifyHooklineV1(headers, request, now);
        case 'ed25519':
          return verifyEd25519(headers, request, now);
        case 'rsa-sha256':
          return verifyRsa(headers, request, now);
        case 'v1':
          return verifyV1(headers, request, now);
        case undefined:
          if (offered.length > 0)
            throw new WebhookVerificationError('no_key', `the request is signed with ${offered.join(', ')}, but no key for it is configured`);
          throw missingSignature(accepted, keyed);
      }
    },
  };
}

function missingSignature(accepted: Set<Scheme>, keyed: Record<Scheme, boolean>): WebhookVerificationError {
  const expected = PREFERENCE.filter((s) => accepted.has(s) && keyed[s]).map((s) => SIGNATURE_HEADER[s]);
  const names = [...new Set(expected)];
  return new WebhookVerificationError('missing_header', `missing signature header: expected ${names.join(' or ')}`, names[0]);
}

const SIGNATURE_HEADER: Record<Scheme, string> = {
  v1: HEADERS.signature,
  ed25519: HEADERS.signature,
  'hookline-v1': HEADERS.hooklineSignature,
  'rsa-sha256': HEADERS.rsaSignature,
};

const sharedNonceStore = new MemoryNonceStore();

/**
 * One-shot verification. Loads the keys on every call, and uses a
 * process-wide in-memory nonce table unless `nonceStore` is given; on a hot
 * path prefer one `createWebhookVerifier` per endpoint.
 */
export function verifyWebhook(options: VerifierOptions & WebhookRequest): Promise<VerifiedWebhook> {
  try {
    return createWebhookVerifier({ ...options, nonceStore: options.nonceStore ?? sharedNonceStore }).verify(options);
  } catch (error) {
    return Promise.reject(error);
  }
}
