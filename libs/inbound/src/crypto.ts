import { createHmac, timingSafeEqual } from 'node:crypto';

/** Compares two strings in time independent of where they differ (length is not secret: signatures have fixed lengths). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** HMAC of `content` under `key`, in `encoding`. */
export function hmac(algorithm: 'sha1' | 'sha256' | 'sha512', key: string | Buffer, content: string | Buffer, encoding: 'hex' | 'base64'): string {
  return createHmac(algorithm, key).update(content).digest(encoding);
}

/** Whether `seconds` (Unix time) lies within `toleranceSeconds` of `now`, either side. */
export function withinTolerance(seconds: number, now: Date, toleranceSeconds: number): boolean {
  return Number.isFinite(seconds) && Math.abs(now.getTime() / 1000 - seconds) <= toleranceSeconds;
}

/** The body as a JSON object, or null when it is not one. */
export function jsonObject(raw: Buffer): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(raw.toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A form-encoded body's fields (a repeated name keeps its last value). */
export function formFields(raw: Buffer): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
}

/** An event kind from a provider's name for it: lowercase words joined by dots, anything else an underscore (`MessageStatus` → `messagestatus`). */
export function kindOf(...parts: string[]): string {
  return parts
    .map((p) =>
      p
        .toLowerCase()
        .replace(/[^a-z0-9.]+/g, '_')
        .replace(/^[_.]+|[_.]+$/g, '')
        .replace(/\.{2,}/g, '.'),
    )
    .filter(Boolean)
    .join('.');
}

/** Form fields as an object: a name sent once is a string, a name sent more than once an array of its values in order. */
export function fieldsObject(pairs: [string, string][]): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = {};
  for (const [name, value] of pairs) {
    const seen = Object.prototype.hasOwnProperty.call(fields, name) ? fields[name] : undefined;
    fields[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return fields;
}

/** A field of a payload as text: a non-empty string, or a finite number written out; undefined otherwise. */
export function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
}
