/**
 * Remembers the `X-Hookline-Nonce` values already accepted.
 *
 * `checkAndRemember` must be atomic per nonce: of any number of concurrent
 * calls with the same nonce, exactly one may resolve `true`. A store that
 * awaits between "is it there?" and "put it there" lets concurrent copies of
 * one request all through. Shared stores do both in one operation, e.g. Redis
 * `SET hookline:nonce:<nonce> 1 NX PXAT <expiresAt>` (true when it answers OK)
 * or SQL `INSERT … ON CONFLICT DO NOTHING` (true when a row was inserted).
 */
export interface NonceStore {
  /**
   * `true` when the nonce was not seen before (it is now remembered until
   * `expiresAt`), `false` when it was.
   * @param expiresAt epoch milliseconds after which the request's timestamp is
   *   outside the window anyway, so the nonce need not be kept longer.
   */
  checkAndRemember(nonce: string, expiresAt: number): Promise<boolean>;
}

export interface MemoryNonceStoreOptions {
  /**
   * Most nonces kept; the oldest goes first when full. Size it above peak
   * requests per second × the tolerance window (100,000 ≈ 330 req/s over
   * 5 minutes, ≈ 10 MB): an entry evicted before it expires could be replayed.
   */
  maxEntries?: number;
  /** Epoch milliseconds; injectable for tests. */
  now?: () => number;
}

export const DEFAULT_MAX_NONCES = 100_000;

/**
 * The built-in store for a single receiver process: a bounded map in
 * insertion order (oldest first out) whose entries lapse at their expiry.
 * Several receiver processes need a shared store instead.
 */
export class MemoryNonceStore implements NonceStore {
  private readonly entries = new Map<string, number>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: MemoryNonceStoreOptions = {}) {
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_NONCES;
    if (!Number.isSafeInteger(this.maxEntries) || this.maxEntries < 1) throw new RangeError('maxEntries must be a positive integer');
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  // No `await` anywhere in this body: it runs to completion in one turn of the
  // event loop, so no other call can slip in between the lookup and the insert.
  async checkAndRemember(nonce: string, expiresAt: number): Promise<boolean> {
    const now = this.now();
    const seenUntil = this.entries.get(nonce);
    if (seenUntil !== undefined && seenUntil > now) return false;
    if (seenUntil !== undefined) this.entries.delete(nonce);
    this.dropExpiredHead(now);
    while (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(nonce, expiresAt);
    return true;
  }

  // Insertion order is nearly expiry order (expiry = timestamp + window), so
  // trimming lapsed entries from the front keeps the work O(1) amortised; an
  // expired entry stuck behind a live one only costs memory for a while, since
  // lookups compare expiry anyway.
  private dropExpiredHead(now: number): void {
    for (const [nonce, expiresAt] of this.entries) {
      if (expiresAt > now) return;
      this.entries.delete(nonce);
    }
  }
}
