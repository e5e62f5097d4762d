/** What was refused, for logs and the delivery attempt. */
export interface EgressBlockedInfo {
  /** The host of the URL as undici received it. */
  hostname: string;
  port: string;
  protocol: string;
  /** The refused address, when the refusal was about an address rather than the name or scheme. */
  address?: string;
  reason: string;
}

/**
 * A connection the safe agent refused to open. undici hands a connector's
 * error to the request unchanged (`request()` rejects with this very object);
 * `fetch()` wraps it as the `cause` of a `TypeError('fetch failed')`. Use
 * `findEgressBlock` to find it either way.
 */
export class EgressBlockedError extends Error {
  readonly code = 'EGRESS_BLOCKED' as const;
  readonly reason: string;
  readonly hostname: string;
  readonly address: string | undefined;

  constructor(info: EgressBlockedInfo) {
    super(`SSRF block: ${info.reason}`);
    this.name = 'EgressBlockedError';
    this.reason = info.reason;
    this.hostname = info.hostname;
    this.address = info.address;
  }
}

/**
 * The egress block behind an error, looking through `cause` chains and
 * AggregateErrors. Matched by `code` rather than `instanceof`, so a second
 * copy of this library (dist/ next to src/ in tests) still matches.
 */
export function findEgressBlock(error: unknown): EgressBlockedError | undefined {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const current = queue.shift();
    if (current === null || typeof current !== 'object' || seen.has(current)) continue;
    seen.add(current);
    const candidate = current as { code?: unknown; reason?: unknown; cause?: unknown; errors?: unknown };
    if (candidate.code === 'EGRESS_BLOCKED' && typeof candidate.reason === 'string') return current as EgressBlockedError;
    queue.push(candidate.cause);
    if (Array.isArray(candidate.errors)) queue.push(...candidate.errors);
  }
  return undefined;
}

export function isEgressBlocked(error: unknown): boolean {
  return findEgressBlock(error) !== undefined;
}
