import { createHash } from 'node:crypto';

/** What identifies "the same request" for one idempotency key. */
export interface RequestFingerprint {
  method: string;
  /** Path and canonical query string, e.g. `/v1/events?b=2&a=1` → `/v1/events?a=1&b=2`. */
  path: string;
  /** SHA-256 (hex) of `METHOD path` and the canonical body: the value compared on a repeat. */
  digest: string;
}

export interface FingerprintInput {
  method: string;
  /** The request target as received (`req.originalUrl`): path plus optional query. */
  url: string;
  /** The parsed body: JSON values are canonicalised; a Buffer or string is hashed as its bytes. */
  body: unknown;
}

export function fingerprintRequest(input: FingerprintInput): RequestFingerprint {
  const method = input.method.toUpperCase();
  const path = canonicalTarget(input.url);
  const digest = createHash('sha256').update(`${method} ${path}\n`).update(hashBody(input.body)).digest('hex');
  return { method, path, digest };
}

/** SHA-256 (hex) of the canonical body; `undefined` (no body) hashes like an empty one. */
export function hashBody(body: unknown): string {
  const hash = createHash('sha256');
  if (body === undefined) return hash.digest('hex');
  if (Buffer.isBuffer(body) || body instanceof Uint8Array) return hash.update(body).digest('hex');
  // A string body is text the client sent as is (text/plain), not a JSON string.
  if (typeof body === 'string') return hash.update(body, 'utf8').digest('hex');
  return hash.update(canonicalJson(body), 'utf8').digest('hex');
}

/**
 * JSON with object keys sorted at every depth, so the same document sent with
 * its keys in another order or with other whitespace is the same request.
 * Values are already parsed, so number spellings (`1.0`, `1e0`) agree too.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    // undefined and functions have no JSON form; in an array JSON.stringify writes null for them.
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return canonicalJson((value as { toJSON(): unknown }).toJSON());
  const entries = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

function canonicalTarget(url: string): string {
  // Prefixed rather than resolved against a base, so a target like `//host/x`
  // stays a path instead of becoming a host; the origin never shows up in the result.
  const parsed = new URL(`http://localhost${url.startsWith('/') ? '' : '/'}${url}`);
  parsed.searchParams.sort();
  const query = parsed.searchParams.toString();
  return query ? `${parsed.pathname}?${query}` : parsed.pathname;
}
