import { WebhookVerificationError } from './errors';

/** Node's `req.headers`, a plain object in any casing, or a fetch `Headers`. */
export type HeaderBag = Readonly<Record<string, string | readonly string[] | undefined>> | { get(name: string): string | null };

export const HEADERS = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
  hooklineTimestamp: 'x-hookline-timestamp',
  hooklineNonce: 'x-hookline-nonce',
  hooklineSignature: 'x-hookline-signature',
  rsaSignature: 'x-hookline-rsa-signature',
  keyId: 'x-hookline-key-id',
} as const;

function isFetchHeaders(bag: HeaderBag): bag is { get(name: string): string | null } {
  return typeof (bag as { get?: unknown }).get === 'function';
}

/** Case-insensitive header access; `name` is lower case. */
export class RequestHeaders {
  constructor(private readonly bag: HeaderBag) {}

  private raw(name: string): string | readonly string[] | undefined {
    const bag = this.bag;
    if (isFetchHeaders(bag)) return bag.get(name) ?? undefined;
    // Node and most frameworks already lower-case names; scan only when they did not.
    const direct = bag[name];
    if (direct !== undefined) return direct;
    for (const key of Object.keys(bag)) if (key.toLowerCase() === name) return bag[key];
    return undefined;
  }

  /** A header that must appear once. */
  single(name: string): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (typeof value === 'string') return value === '' ? undefined : value;
    if (value.length > 1) throw new WebhookVerificationError('bad_header', `header ${name} was sent more than once`, name);
    return value[0] || undefined;
  }

  required(name: string): string {
    const value = this.single(name);
    if (value === undefined) throw new WebhookVerificationError('missing_header', `missing header ${name}`, name);
    return value;
  }

  /** A list header; repeated lines are joined with `separator`, as a proxy folding them would. */
  list(name: string, separator: string): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    const joined = typeof value === 'string' ? value : value.join(separator);
    return joined.trim() === '' ? undefined : joined;
  }
}
