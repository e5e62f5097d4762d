import {
  BadRequestException,
  type CallHandler,
  ConflictException,
  type ExecutionContext,
  Inject,
  Injectable,
  Logger,
  type NestInterceptor,
  UnprocessableEntityException,
} from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { catchError, finalize, from, mergeMap, type Observable, of, throwError } from 'rxjs';
import { fingerprintRequest } from './fingerprint';
import { checkIdempotencyKey, IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER } from './idempotency-key';
import { type IdempotencyLease, IdempotencyStore, type StoredResponse } from './idempotency.store';
import { isReplayableStatus, isStorableBody, renderNestError } from './response-policy';

export const IDEMPOTENCY_INTERCEPTOR_OPTIONS = Symbol('IDEMPOTENCY_INTERCEPTOR_OPTIONS');

export interface IdempotencyInterceptorOptions {
  /**
   * Whose key it is: the caller's API key identity;
   * `undefined` lets the request through without idempotency. A method, so a
   * service may pass a function typed for its own request type (Express
   * `Request`, or one its auth guard decorated).
   */
  scope(request: IdempotentHttpRequest): string | undefined;
  /** Response headers stored and replayed (lower-case). Default `location`, `content-type`. */
  storedHeaders?: readonly string[];
  /**
   * The status and body the service's exception filter sends for an error, so
   * a stored 4xx replays byte for byte. Default: Nest's rendering of an
   * HttpException, and 500 for anything else.
   */
  renderError?: (error: unknown) => { status: number; body: unknown };
}

/** The parts of an Express request the interceptor reads. */
export interface IdempotentHttpRequest {
  method: string;
  url: string;
  originalUrl?: string;
  headers: IncomingHttpHeaders;
  headersDistinct?: NodeJS.Dict<string[]>;
  body?: unknown;
}

/** The parts of an Express (Node) response the interceptor reads and writes. */
export interface IdempotentHttpResponse {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  getHeader(name: string): number | string | string[] | undefined;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const DEFAULT_STORED_HEADERS = ['location', 'content-type'];

/** An error about the key, in the one error body of Hookline's APIs: the header is the field. */
function keyError(error: string, rule: string) {
  return { error, message: `${IDEMPOTENCY_KEY_HEADER}: ${rule}`, issues: [{ field: IDEMPOTENCY_KEY_HEADER, rule }] };
}

/**
 * Honours `Idempotency-Key` on POST, PUT, PATCH and DELETE; other
 * methods, requests without the header and requests without a caller scope
 * pass through untouched. Apply it globally (IdempotencyModule's
 * `applyToAllRoutes`) or with `@UseInterceptors(IdempotencyInterceptor)`.
 *
 * Interceptors run after guards, so an unauthenticated request never reaches
 * the table, and before pipes, so a 400 from validation is stored like any
 * other 4xx of the handler.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger(IdempotencyInterceptor.name);
  private readonly storedHeaders: readonly string[];

  constructor(
    private readonly store: IdempotencyStore,
    @Inject(IDEMPOTENCY_INTERCEPTOR_OPTIONS) private readonly options: IdempotencyInterceptorOptions,
  ) {
    this.storedHeaders = (options.storedHeaders ?? DEFAULT_STORED_HEADERS).map((name) => name.toLowerCase());
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<IdempotentHttpRequest>();
    const response = context.switchToHttp().getResponse<IdempotentHttpResponse>();
    if (!WRITE_METHODS.has(request.method.toUpperCase())) return next.handle();

    const values = keyHeaderValues(request);
    if (values.length === 0) return next.handle();
    const check = checkIdempotencyKey(values);
    if (!check.ok) throw new BadRequestException(keyError('invalid_idempotency_key', check.rule));
    const scope = this.options.scope(request);
    if (!scope) return next.handle();

    const fingerprint = fingerprintRequest({ method: request.method, url: request.originalUrl ?? request.url, body: request.body });
    const outcome = await this.store.begin({ scope, key: check.key, fingerprint });
    switch (outcome.kind) {
      case 'replay':
        return of(this.replay(response, outcome.response));
      case 'mismatch':
        throw new UnprocessableEntityException(
          keyError(
            'idempotency_key_reused',
            `this key was already used for a different request (method, path or body differ; it was first used for ${outcome.original.method} ${outcome.original.path}); send a new key for a new request`,
          ),
        );
      case 'in_flight':
        // The first request usually ends within a second; after a crash, retries succeed once its lease runs out.
        response.setHeader('Retry-After', '1');
        throw new ConflictException(keyError('idempotency_key_in_flight', 'a request with this key is still being processed; retry once it has finished'));
      case 'acquired':
        if (outcome.tookOver) {
          this.logger.warn(
            { key: check.key, method: fingerprint.method, path: fingerprint.path },
            'idempotency lease had lapsed (its owner crashed or stalled); running the request again',
          );
        }
        return this.run(outcome.lease, response, next);
    }
  }

  private run(lease: IdempotencyLease, response: IdempotentHttpResponse, next: CallHandler): Observable<unknown> {
    let settled = false;
    return next.handle().pipe(
      mergeMap(async (body) => {
        settled = true;
        await this.settle(lease, response.statusCode, body, response);
        return body;
      }),
      catchError((error: unknown) => {
        settled = true;
        const { status, body } = (this.options.renderError ?? renderNestError)(error);
        return from(this.settle(lease, status, body, response)).pipe(mergeMap(() => throwError(() => error)));
      }),
      finalize(() => {
        lease.stopHeartbeat();
        // Unsubscribed before any outcome (the client went away from a streaming
        // handler): nothing to store, so let a retry run it.
        if (!settled) void lease.release().catch((error) => this.logger.error({ err: error, key: lease.key }, 'releasing an idempotency key failed'));
      }),
    );
  }

  /**
   * Stores or releases before the response leaves, so a client that retries
   * the moment it has an answer finds it stored. A failure to store is
   * logged, never sent: the handler's work is done and the client gets its
   * result; the record then lapses like a crashed one.
   */
  private async settle(lease: IdempotencyLease, status: number, body: unknown, response: IdempotentHttpResponse): Promise<void> {
    try {
      if (!isReplayableStatus(status) || !isStorableBody(body)) {
        await lease.release();
        return;
      }
      const stored = await lease.complete({ status, body, headers: this.pickHeaders(response) });
      if (!stored) {
        this.logger.warn({ key: lease.key, status }, 'idempotency lease was taken over while the request ran; its response was not stored');
      }
    } catch (error) {
      lease.stopHeartbeat();
      this.logger.error(
        { err: error, key: lease.key, status },
        'storing an idempotent response failed; a retry after the lease runs out will run the request again',
      );
    }
  }

  private replay(response: IdempotentHttpResponse, stored: StoredResponse): unknown {
    // Nest sends the value with the status already on the response (the route's
    // own status was set before interceptors ran, and is overwritten here).
    response.statusCode = stored.status;
    for (const [name, value] of Object.entries(stored.headers)) response.setHeader(name, value);
    response.setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
    return stored.body;
  }

  private pickHeaders(response: IdempotentHttpResponse): Record<string, string> {
    const headers: Record<string, string> = {};
    for (const name of this.storedHeaders) {
      const value = response.getHeader(name);
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
    }
    return headers;
  }
}

function keyHeaderValues(request: IdempotentHttpRequest): string[] {
  const distinct = request.headersDistinct?.['idempotency-key'];
  if (distinct) return distinct;
  const value = request.headers['idempotency-key'];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}
