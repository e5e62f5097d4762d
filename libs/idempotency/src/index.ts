export type { CallerScope } from './caller-scope';
export type { Clock } from './clock';
export { canonicalJson, fingerprintRequest, hashBody, type FingerprintInput, type RequestFingerprint } from './fingerprint';
export {
  checkIdempotencyKey,
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAYED_HEADER,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  type IdempotencyKeyCheck,
} from './idempotency-key';
export {
  IDEMPOTENCY_INTERCEPTOR_OPTIONS,
  IdempotencyInterceptor,
  type IdempotencyInterceptorOptions,
  type IdempotentHttpRequest,
  type IdempotentHttpResponse,
} from './idempotency.interceptor';
export { IdempotencyModule, IdempotencyPurger, type IdempotencyModuleAsyncOptions, type IdempotencyModuleOptions } from './idempotency.module';
export {
  IDEMPOTENCY_TABLE,
  IdempotencyLease,
  IdempotencyStore,
  type BeginOutcome,
  type BeginRequest,
  type IdempotencyStoreOptions,
  type StoredResponse,
} from './idempotency.store';
export { isReplayableStatus, isStorableBody, renderNestError } from './response-policy';
export type { ResponseCipher } from './response-cipher';
export type { SqlRunner } from './sql-runner';
