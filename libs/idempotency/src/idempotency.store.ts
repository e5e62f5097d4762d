import { randomUUID } from 'node:crypto';
import type { Clock } from './clock';
import type { RequestFingerprint } from './fingerprint';
import type { ResponseCipher } from './response-cipher';
import { rowsOf, type SqlRunner } from './sql-runner';

/** The response a completed request left behind, replayed on every repeat. */
export interface StoredResponse {
  status: number;
  /** The handler's value as it was serialised; `undefined` when there was no body (e.g. 204). */
  body: unknown;
  /** Lower-case names: the few headers worth replaying, such as `location`. */
  headers: Record<string, string>;
}

export interface BeginRequest {
  /** Who the key belongs to (the caller's API key): keys of different callers never meet. */
  scope: string;
  key: string;
  fingerprint: RequestFingerprint;
}

export type BeginOutcome =
  /**
   * This caller runs the request and must `complete` or `release` the lease.
   * `tookOver`: the key was in flight under a lease that lapsed, so its owner
   * crashed, or stalled for longer than the lease.
   */
  | { kind: 'acquired'; lease: IdempotencyLease; tookOver: boolean }
  /** Done before with the same request: send this instead of running it again. */
  | { kind: 'replay'; response: StoredResponse }
  /** The same request is running now under a live lease. */
  | { kind: 'in_flight'; lockedUntil: Date }
  /** The key was used for a different request. */
  | { kind: 'mismatch'; original: { method: string; path: string } };

export interface IdempotencyStoreOptions {
  /**
   * How long an in-flight record stays locked without a heartbeat: after a
   * crash, the wait before a retry may run the request again. Default 30 s.
   */
  leaseMs?: number;
  /** How often a live owner extends its lease. Default a third of the lease, so two beats may fail before it lapses. */
  heartbeatMs?: number;
  /** How long a key is remembered, counted from its first use. Default 24 h. */
  ttlMs?: number;
  /** What leases, the TTL and the purge are measured on. Default PostgreSQL's clock (`now()`), one for every instance; tests pass one they move. */
  clock?: Clock;
  /** Encrypts stored bodies; see ResponseCipher. */
  cipher?: ResponseCipher;
  /** A heartbeat that failed (database unreachable); the lease may lapse if this repeats. */
  onHeartbeatError?: (error: unknown, lease: IdempotencyLease) => void;
}

export const IDEMPOTENCY_TABLE = 'idempotency_keys';

const DEFAULT_LEASE_MS = 30_000;
const DEFAULT_TTL_MS = 24 * 60 * 60 * 1000;
const PURGE_BATCH = 5_000;
// begin() reads the row again when its upsert did not win; the row can change
// in between (completed, released, taken over), which only a new round settles.
const MAX_BEGIN_ROUNDS = 5;

interface KeyRow {
  fingerprint: string;
  request_method: string;
  request_path: string;
  state: 'in_flight' | 'completed';
  locked_until: Date | null;
  lease_alive: boolean;
  expired: boolean;
  response_status: number | null;
  response_body: string | null;
  response_headers: Record<string, string> | null;
}

/**
 * Idempotency records in PostgreSQL, framework-free (the Nest interceptor is a
 * thin layer over it).
 *
 * Concurrency is decided by PostgreSQL alone: `begin` is one upsert on the
 * primary key (scope, key), so of any number of concurrent first requests
 * exactly one inserts the in-flight record and all others see it.
 *
 * The in-flight record is a lease (`locked_until`, on the database's clock, or
 * on the store's `clock` when one is given) renewed by a heartbeat while the
 * owner runs, and fenced by a random `lock_token`:
 * - a process that dies stops beating, so a retry takes over once the lease
 *   has run out (at most `leaseMs` after the crash);
 * - a slow but live owner keeps its lease, so nobody runs the request beside it;
 * - an owner that stalled past its lease and was taken over cannot overwrite
 *   the new owner's result (`complete` matches the token, and returns false).
 * No database connection or transaction is held while the handler runs; see
 * the README for why this beats a row or advisory lock held for the request.
 */
/** The time of statement parameter `n`: the store's clock when it has one, else PostgreSQL's. */
const at = (n: number) => `coalesce($${n}::timestamptz, now())`;

export class IdempotencyStore {
  readonly leaseMs: number;
  readonly heartbeatMs: number;
  readonly ttlMs: number;
  private readonly clock: Clock | undefined;

  constructor(
    private readonly db: SqlRunner,
    private readonly options: IdempotencyStoreOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.heartbeatMs = options.heartbeatMs ?? Math.max(1, Math.floor(this.leaseMs / 3));
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.clock = options.clock;
    if (!(this.leaseMs > 0) || !(this.ttlMs > this.leaseMs)) throw new RangeError('IdempotencyStore: need 0 < leaseMs < ttlMs');
    if (!(this.heartbeatMs > 0 && this.heartbeatMs < this.leaseMs)) throw new RangeError('IdempotencyStore: need 0 < heartbeatMs < leaseMs');
  }

  /** Claims the key for this request, or says what to answer instead. The returned lease is already beating. */
  /** The injected clock's time, or null for PostgreSQL's `now()` (see `at`). */
  private now(): Date | null {
    return this.clock?.now() ?? null;
  }

  async begin(request: BeginRequest): Promise<BeginOutcome> {
    const { scope, key, fingerprint } = request;
    for (let round = 0; round < MAX_BEGIN_ROUNDS; round++) {
      const token = randomUUID();
      const now = this.now();
      // Wins when the key is new, expired (and not held), or abandoned by a
      // dead owner of the same request. Concurrent upserts on one key queue on
      // its row lock and re-check the WHERE, so only one of them takes over.
      const claimed = rowsOf<{ took_over: boolean }>(
        await this.db.query(
          `INSERT INTO ${IDEMPOTENCY_TABLE} AS k
             (scope, key, fingerprint, request_method, request_path, state, lock_token, locked_until, created_at)
           VALUES ($1, $2, $3, $4, $5, 'in_flight', $6, ${at(9)} + $7::double precision * interval '1 millisecond', ${at(9)})
           ON CONFLICT (scope, key) DO UPDATE SET
             fingerprint = EXCLUDED.fingerprint,
             request_method = EXCLUDED.request_method,
             request_path = EXCLUDED.request_path,
             state = 'in_flight',
             lock_token = EXCLUDED.lock_token,
             locked_until = EXCLUDED.locked_until,
             -- a takeover keeps the key's original 24 h; reusing an expired key starts anew
             created_at = CASE WHEN k.created_at <= ${at(9)} - $8::double precision * interval '1 millisecond'
                               THEN EXCLUDED.created_at ELSE k.created_at END,
             response_status = NULL,
             response_body = NULL,
             response_headers = NULL,
             completed_at = NULL
           WHERE (k.state = 'completed' OR k.locked_until <= ${at(9)})
             AND (k.created_at <= ${at(9)} - $8::double precision * interval '1 millisecond'
                  OR (k.state = 'in_flight' AND k.fingerprint = EXCLUDED.fingerprint))
           -- xmax is set on a row the upsert updated, not on one it inserted; a takeover keeps the old created_at
           RETURNING (xmax::text <> '0' AND created_at < ${at(9)}) AS took_over`,
          [scope, key, fingerprint.digest, fingerprint.method, fingerprint.path, token, this.leaseMs, this.ttlMs, now],
        ),
      );
      if (claimed.length === 1) return { kind: 'acquired', lease: new IdempotencyLease(this, scope, key, token), tookOver: claimed[0].took_over };

      const [row] = rowsOf<KeyRow>(
        await this.db.query(
          `SELECT fingerprint, request_method, request_path, state, locked_until, response_status, response_body, response_headers,
                  locked_until > ${at(4)} AS lease_alive,
                  created_at <= ${at(4)} - $3::double precision * interval '1 millisecond' AS expired
             FROM ${IDEMPOTENCY_TABLE} WHERE scope = $1 AND key = $2`,
          [scope, key, this.ttlMs, now],
        ),
      );
      if (!row) continue; // released or purged since the upsert: claim it now
      const held = row.state === 'in_flight' && row.lease_alive;
      if (!row.expired && row.fingerprint !== fingerprint.digest) {
        return { kind: 'mismatch', original: { method: row.request_method, path: row.request_path } };
      }
      if (held) return { kind: 'in_flight', lockedUntil: new Date(row.locked_until as Date) };
      if (!row.expired && row.state === 'completed') return { kind: 'replay', response: this.decode(scope, key, row) };
      // Completed into an expired row, or the lease lapsed, since the upsert looked: try again.
    }
    throw new Error(`idempotency key stayed contended for ${MAX_BEGIN_ROUNDS} rounds`);
  }

  /** Stores the response for replay. False when the lease was lost to a takeover (the response is then not stored). */
  async complete(lease: IdempotencyLease, response: StoredResponse): Promise<boolean> {
    const json = response.body === undefined ? null : JSON.stringify(response.body);
    const body = json !== null && this.options.cipher ? this.options.cipher.seal(json, cipherContext(lease.scope, lease.key)) : json;
    return this.changed(
      `WITH done AS (
         UPDATE ${IDEMPOTENCY_TABLE}
            SET state = 'completed', lock_token = NULL, locked_until = NULL, completed_at = ${at(7)},
                response_status = $4, response_body = $5, response_headers = $6::jsonb
          WHERE scope = $1 AND key = $2 AND lock_token = $3 AND state = 'in_flight'
          RETURNING 1)
       SELECT count(*)::int AS n FROM done`,
      [lease.scope, lease.key, lease.token, response.status, body, JSON.stringify(lowerCaseKeys(response.headers)), this.now()],
    );
  }

  /** Forgets the in-flight record so the client may retry with the same key (used for 5xx and other outcomes not worth keeping). */
  async release(lease: IdempotencyLease): Promise<boolean> {
    return this.changed(
      `WITH gone AS (
         DELETE FROM ${IDEMPOTENCY_TABLE} WHERE scope = $1 AND key = $2 AND lock_token = $3 AND state = 'in_flight' RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [lease.scope, lease.key, lease.token],
    );
  }

  /** Extends the lease by `leaseMs` from now. False when it was lost to a takeover. */
  async heartbeat(lease: IdempotencyLease): Promise<boolean> {
    return this.changed(
      `WITH beat AS (
         UPDATE ${IDEMPOTENCY_TABLE} SET locked_until = ${at(5)} + $4::double precision * interval '1 millisecond'
          WHERE scope = $1 AND key = $2 AND lock_token = $3 AND state = 'in_flight'
          RETURNING 1)
       SELECT count(*)::int AS n FROM beat`,
      [lease.scope, lease.key, lease.token, this.leaseMs, this.now()],
    );
  }

  /**
   * Deletes keys older than the TTL, in batches so no statement holds many
   * row locks. Rows still held by a live lease are left alone. Returns how
   * many were deleted. Safe to run from every instance at once.
   */
  async purgeExpired(): Promise<number> {
    let total = 0;
    for (;;) {
      const [{ n }] = rowsOf<{ n: number }>(
        await this.db.query(
          `WITH gone AS (
             DELETE FROM ${IDEMPOTENCY_TABLE} WHERE ctid = ANY(ARRAY(
               SELECT ctid FROM ${IDEMPOTENCY_TABLE}
                WHERE created_at <= ${at(3)} - $1::double precision * interval '1 millisecond'
                  AND (state = 'completed' OR locked_until <= ${at(3)})
                LIMIT $2))
             RETURNING 1)
           SELECT count(*)::int AS n FROM gone`,
          [this.ttlMs, PURGE_BATCH, this.now()],
        ),
      );
      total += n;
      if (n < PURGE_BATCH) return total;
    }
  }

  /** @internal the lease's timer calls this; errors go to onHeartbeatError. */
  reportHeartbeatError(error: unknown, lease: IdempotencyLease): void {
    this.options.onHeartbeatError?.(error, lease);
  }

  private async changed(sql: string, parameters: unknown[]): Promise<boolean> {
    const [{ n }] = rowsOf<{ n: number }>(await this.db.query(sql, parameters));
    return n > 0;
  }

  private decode(scope: string, key: string, row: KeyRow): StoredResponse {
    let json = row.response_body;
    if (json !== null && this.options.cipher) json = this.options.cipher.open(json, cipherContext(scope, key));
    return {
      status: row.response_status as number,
      body: json === null ? undefined : JSON.parse(json),
      headers: row.response_headers ?? {},
    };
  }
}

/**
 * The right to run one request, held by the process that called `begin`.
 * While it is held a timer renews it every `heartbeatMs`; `complete` and
 * `release` stop the timer.
 */
export class IdempotencyLease {
  private timer: NodeJS.Timeout | undefined;
  private beating = false;
  private lostToTakeover = false;

  constructor(
    private readonly store: IdempotencyStore,
    readonly scope: string,
    readonly key: string,
    readonly token: string,
  ) {
    this.timer = setInterval(() => void this.beat(), store.heartbeatMs);
    // A pending heartbeat must not keep a process alive that has nothing else to do.
    this.timer.unref();
  }

  /** True once a heartbeat found the record taken over: this owner's result will not be stored. */
  get lost(): boolean {
    return this.lostToTakeover;
  }

  complete(response: StoredResponse): Promise<boolean> {
    this.stopHeartbeat();
    return this.store.complete(this, response);
  }

  release(): Promise<boolean> {
    this.stopHeartbeat();
    return this.store.release(this);
  }

  /**
   * Stops renewing without settling, so the lease runs out: what a killed
   * process leaves behind. The interceptor uses it when it can neither store
   * nor safely forget a result; tests use it to simulate a crash.
   */
  stopHeartbeat(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async beat(): Promise<void> {
    if (this.beating || !this.timer) return;
    this.beating = true;
    try {
      const held = await this.store.heartbeat(this);
      // Settling stops the timer; a beat that raced it finds no in-flight row, which is no takeover.
      if (!held && this.timer) {
        this.lostToTakeover = true;
        this.stopHeartbeat();
      }
    } catch (error) {
      this.store.reportHeartbeatError(error, this);
    } finally {
      this.beating = false;
    }
  }
}

function cipherContext(scope: string, key: string): string {
  return `${IDEMPOTENCY_TABLE}\n${scope}\n${key}`;
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
