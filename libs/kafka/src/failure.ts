/**
 * Why a handler failed, as far as what to do next goes:
 * - `transient`: a dependency is down or busy (lost connection, database
 *   restarting, deadlock, broker unavailable). Retried with backoff for as
 *   long as it takes; the record is never dead-lettered for it.
 * - `permanent`: this record can never be processed (the database refuses its
 *   data, a constraint, a message too large for the broker). Retrying cannot
 *   help, so the record is parked and the ones behind it go on.
 * - `unknown`: anything else (most often a bug). Retried like a transient
 *   failure a few times, then handled like a permanent one (see `UNKNOWN_FAILURE_ATTEMPTS`).
 */
export type FailureClass = 'transient' | 'permanent' | 'unknown';

/** A failure, classified, in words safe to log and to show in /health/ready (quoted values left out). */
export interface Failure {
  class: FailureClass;
  /** SQLSTATE of a PostgreSQL error, `errno` code of a socket error, KafkaJS error type, … when there is one. */
  code?: string;
  name: string;
  message: string;
}

/**
 * Thrown by a use case that knows a record can never be processed (it breaks a
 * rule the schema could not express): the record is parked at once.
 */
export class PermanentFailure extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentFailure';
  }
}

/**
 * Thrown by a handler that gives its message back uncommitted on purpose (its
 * service is stopping and the work never started): the consumer neither
 * retries nor parks it, and logs no failure; the partition's next owner, or
 * this consumer after a restart, does it again.
 */
export class HandBack extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HandBack';
  }
}

/**
 * How many times a batch (or a message) is tried on an unknown failure before
 * it is handled as permanent. At the handler backoff (200 ms doubling to 5 s)
 * that is about 25 s: longer than a hiccup, short enough that a bug in one
 * record does not hold its partition for good.
 */
export const UNKNOWN_FAILURE_ATTEMPTS = 8;

/** SQLSTATE classes (first two characters) that say the record itself is at fault. */
const PERMANENT_SQLSTATE_CLASSES = new Set([
  '22', // data exception: a value out of range, bad text encoding, invalid input syntax
  '23', // integrity constraint violation
  '42', // syntax error or access rule violation: undefined column, wrong type
  '54', // program limit exceeded: statement or row too large
  '2F', // SQL routine exception
  '39', // external routine invocation exception
  'P0', // PL/pgSQL raise_exception
]);

/** SQLSTATE classes that say the database is down, restarting, busy or lost a race. */
const TRANSIENT_SQLSTATE_CLASSES = new Set([
  '08', // connection exception
  '40', // transaction rollback: serialization failure, deadlock
  '53', // insufficient resources: disk full, out of memory, too many connections
  '55', // object not in prerequisite state: lock not available
  '57', // operator intervention: admin shutdown, crash shutdown, cannot connect now, query canceled
  '58', // system error: I/O error
  'XX', // internal error
  'HV', // foreign data wrapper error (a remote server)
]);

/** Node.js socket and DNS error codes: the other side is unreachable for now. */
const TRANSIENT_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
  'ESOCKETTIMEDOUT',
  'ENOTCONN',
  'ERR_SOCKET_CLOSED',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** What node-postgres and its pool say, without a code, when the server goes away or never answers. */
const TRANSIENT_PG_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /^Client has encountered a connection error and is not queryable/,
  /^Client was closed and is not queryable/,
  /^Cannot use a pool after calling end on the pool/,
  /^the database system is (starting up|shutting down|in recovery mode)/,
  /^Query read timeout/,
];

/** KafkaJS errors that wrap the cause of a retry loop that ran out. */
const KAFKAJS_WRAPPERS = new Set(['KafkaJSNumberOfRetriesExceeded', 'KafkaJSNonRetriableError']);

/** KafkaJS protocol errors that say the record itself can never be written. */
const PERMANENT_KAFKA_TYPES = new Set(['MESSAGE_TOO_LARGE', 'INVALID_RECORD', 'CORRUPT_MESSAGE', 'RECORD_LIST_TOO_LARGE']);

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  retriable?: unknown;
  type?: unknown;
  cause?: unknown;
  originalError?: unknown;
  driverError?: unknown;
  errors?: unknown;
}

/** Classifies what a handler threw (see `FailureClass`). */
export function classifyFailure(error: unknown): Failure {
  return { ...describe(error), class: classOf(error, 0) };
}

/** True when `error` means a dependency is unavailable for now (an HTTP API answers 503, a consumer retries). */
export function isTransientFailure(error: unknown): boolean {
  return classOf(error, 0) === 'transient';
}

function classOf(error: unknown, depth: number): FailureClass {
  if (depth > 5 || typeof error !== 'object' || error === null) return 'unknown';
  if (error instanceof PermanentFailure) return 'permanent';
  const e = error as ErrorLike;
  const name = typeof e.name === 'string' ? e.name : '';
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : '';

  // node-postgres' DatabaseError (and TypeORM's QueryFailedError, which copies its fields) carry the SQLSTATE.
  if (/^[0-9A-Z]{5}$/.test(code) && (name === 'error' || name === 'DatabaseError' || name === 'QueryFailedError' || typeof e.driverError === 'object')) {
    const sqlClass = code.slice(0, 2);
    if (PERMANENT_SQLSTATE_CLASSES.has(sqlClass)) return 'permanent';
    if (TRANSIENT_SQLSTATE_CLASSES.has(sqlClass)) return 'transient';
  }
  if (TRANSIENT_ERRNO.has(code)) return 'transient';
  if (TRANSIENT_PG_MESSAGES.some((pattern) => pattern.test(message))) return 'transient';

  if (name.startsWith('KafkaJS')) {
    if (KAFKAJS_WRAPPERS.has(name) && e.originalError) return classOf(e.originalError, depth + 1);
    if (typeof e.type === 'string' && PERMANENT_KAFKA_TYPES.has(e.type)) return 'permanent';
    if (e.retriable === true) return 'transient';
    // Connection, timeout and broker-lookup errors say the cluster is unreachable, whatever their `retriable` flag.
    if (/Connection|Timeout|BrokerNotFound|NotImplemented|LockTimeout|ServerDisconnected/.test(name)) return 'transient';
    return 'unknown';
  }

  // Wrappers: a TypeORM QueryFailedError without a code of its own, `cause` chains, AggregateError of a dual-stack connect.
  for (const inner of [e.driverError, e.cause, e.originalError]) {
    if (inner) {
      const found = classOf(inner, depth + 1);
      if (found !== 'unknown') return found;
    }
  }
  if (Array.isArray(e.errors) && e.errors.length > 0) {
    const classes = e.errors.map((inner) => classOf(inner, depth + 1));
    if (classes.every((c) => c === 'transient')) return 'transient';
  }
  return 'unknown';
}

function describe(error: unknown): Omit<Failure, 'class'> {
  if (typeof error !== 'object' || error === null) return { name: typeof error, message: redact(String(error)) };
  const e = error as ErrorLike;
  const inner = (typeof e.driverError === 'object' && e.driverError) || (typeof e.originalError === 'object' && e.originalError) || null;
  const code = typeof e.code === 'string' ? e.code : typeof e.type === 'string' ? e.type : (inner as ErrorLike | null)?.code;
  return {
    ...(typeof code === 'string' ? { code } : {}),
    name: typeof e.name === 'string' ? e.name : 'Error',
    message: redact(typeof e.message === 'string' ? e.message : String(error)),
  };
}

/**
 * PostgreSQL quotes the offending value in its messages (`date/time field
 * value out of range: "0000-…"`); a value may be customer data or a secret, so
 * what is logged or shown keeps the words and drops the quoted parts.
 */
export function redact(message: string): string {
  const cut = message.replace(/"(?:[^"\\]|\\.)*"/g, '"…"').replace(/'(?:[^'\\]|\\.)*'/g, "'…'");
  return cut.length > 300 ? `${cut.slice(0, 300)}…` : cut;
}
