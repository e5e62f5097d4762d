import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { classifyFailure, isTransientFailure } from '@hookline/kafka';
import type { Logger } from 'pino';
import { ApiError } from './api-error';

/** Seconds a client is asked to wait when a dependency (PostgreSQL, Kafka) is down: about a restart's time. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/** The one error body of Hookline's APIs: `{ error: <code>, message, issues?: [{ field, rule }], ...details }`. */
export interface ErrorBody {
  error: string;
  message: string;
  issues?: { field: string; rule: string }[];
  [detail: string]: unknown;
}

const CODE = /^[a-z][a-z0-9_]*$/;

/** Codes for the statuses that reach the filter from Nest or Express themselves (an unknown route, a body too large). */
const STATUS_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'too_many_requests',
  503: 'unavailable',
};

/**
 * The status, body and extra headers for anything thrown while handling a
 * request. A dependency that is down (a transient failure: PostgreSQL or
 * Kafka unreachable, restarting, out of connections) is a 503 with
 * `Retry-After`, so callers back off and retry; any other unexpected error is
 * a 500.
 */
export function toErrorBody(error: unknown): { status: number; body: ErrorBody; headers?: Record<string, string> } {
  if (!(error instanceof ApiError) && !(error instanceof HttpException) && isTransientFailure(error)) {
    return {
      status: 503,
      body: { error: 'unavailable', message: 'a service Hookline depends on is unavailable for now; retry later' },
      headers: { 'Retry-After': String(UNAVAILABLE_RETRY_AFTER_SECONDS) },
    };
  }
  if (error instanceof ApiError) {
    return { status: error.status, body: { error: error.code, message: error.message, ...(error.issues ? { issues: error.issues } : {}), ...error.details } };
  }
  const status = error instanceof HttpException ? error.getStatus() : statusOfExpressError(error);
  if (status === undefined || status >= 500) {
    if (error instanceof HttpException && hasOwnCode(error.getResponse())) return { status: status ?? 500, body: error.getResponse() as ErrorBody };
    return { status: status ?? 500, body: { error: 'internal_error', message: 'the request failed on the server; it was logged' } };
  }
  if (error instanceof HttpException) {
    const response = error.getResponse();
    if (hasOwnCode(response)) return { status, body: response as ErrorBody };
    return { status, body: { error: STATUS_CODES[status] ?? `http_${status}`, message: messageOf(response, error.message) } };
  }
  return { status, body: { error: STATUS_CODES[status] ?? `http_${status}`, message: (error as Error).message } };
}

/** Our own bodies carry a snake_case `error` code and a `message`; Nest's defaults carry a phrase (`"Not Found"`). */
function hasOwnCode(response: unknown): boolean {
  const r = response as { error?: unknown; message?: unknown } | null;
  return typeof r === 'object' && r !== null && typeof r.error === 'string' && CODE.test(r.error) && typeof r.message === 'string';
}

function messageOf(response: unknown, fallback: string): string {
  const message = (response as { message?: unknown } | null)?.message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : fallback;
}

/** Express and body-parser errors carry their status as `status` or `statusCode` (4xx only are trusted). */
function statusOfExpressError(error: unknown): number | undefined {
  const e = error as { status?: unknown; statusCode?: unknown } | null;
  const status = typeof e?.status === 'number' ? e.status : typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  return status !== undefined && status >= 400 && status < 500 ? status : undefined;
}

/**
 * Express middleware, right after the JSON body parser: its errors become
 * ApiErrors with their own codes (Nest would answer them in its own shape,
 * malformed JSON as a bare 400 `Bad Request`).
 */
export function bodyParserErrors(error: unknown, _req: unknown, _res: unknown, next: (error: unknown) => void): void {
  const e = error as { type?: string; message?: string; limit?: number } | null;
  if (e?.type === 'entity.parse.failed') next(new ApiError(400, 'invalid_json', `the body is not valid JSON: ${e.message ?? ''}`.trim()));
  else if (e?.type === 'entity.too.large') next(new ApiError(413, 'payload_too_large', `the body is larger than ${e.limit ?? 'the limit of'} bytes`));
  else if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported')
    next(new ApiError(415, 'unsupported_media_type', e.message ?? 'unsupported encoding'));
  else if (e?.type === 'request.aborted' || e?.type === 'request.size.invalid')
    next(new ApiError(400, 'bad_request', e.message ?? 'the body was not received whole'));
  else next(error);
}

/**
 * Writes every error of a request, whatever threw it (a use case, a guard,
 * the idempotency interceptor, Nest's router, the body parser), as an
 * `ErrorBody`. An outage (503) logs one warning with the failure's code and
 * its message without quoted values, not a stack per request; other server
 * errors are logged with their stack; their body says
 * nothing about the cause.
 */
@Catch()
export class ErrorBodyFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const { status, body, headers } = toErrorBody(error);
    const request = host.switchToHttp().getRequest<{ method?: string; originalUrl?: string }>();
    const where = { method: request.method, path: request.originalUrl?.split('?')[0], status };
    if (status === 503 && body.error === 'unavailable')
      this.logger.warn({ ...where, failure: classifyFailure(error) }, 'request refused: a dependency is unavailable');
    else if (status >= 500) this.logger.error({ err: error, ...where }, 'request failed');
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    if (headers) response.set(headers);
    response.status(status).json(body);
  }
}
