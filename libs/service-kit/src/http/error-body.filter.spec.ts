import { ConflictException, ForbiddenException, InternalServerErrorException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { ApiError, conflict, notFound, unprocessable, validationFailed } from './api-error';
import type { ArgumentsHost } from '@nestjs/common';
import pino from 'pino';
import { bodyParserErrors, ErrorBodyFilter, toErrorBody } from './error-body.filter';

/** What body-parser passes on for a malformed or oversized body. */
const parserError = (status: number, type: string, message: string) => Object.assign(new Error(message), { status, statusCode: status, type, expose: true });

describe(toErrorBody.name, () => {
  it.each([
    [
      'a validation failure',
      validationFailed([{ field: 'url', rule: 'must be an absolute URL' }]),
      400,
      { error: 'validation_failed', message: 'url: must be an absolute URL', issues: [{ field: 'url', rule: 'must be an absolute URL' }] },
    ],
    ['a missing resource', notFound('endpoint e1'), 404, { error: 'not_found', message: 'endpoint e1 not found' }],
    ['a conflict', conflict('key_in_use', 'last key'), 409, { error: 'key_in_use', message: 'last key' }],
    [
      'an unprocessable field',
      unprocessable('target_refused', 'url', 'loopback'),
      422,
      { error: 'target_refused', message: 'url: loopback', issues: [{ field: 'url', rule: 'loopback' }] },
    ],
    ['details', new ApiError(403, 'forbidden', 'no', undefined, { missingScope: 'admin' }), 403, { error: 'forbidden', message: 'no', missingScope: 'admin' }],
  ])('writes %s as its code, message and fields', (_name, error, status, body) => {
    expect(toErrorBody(error)).toEqual({ status, body });
  });

  it("keeps the bodies Hookline's guards and interceptors already shape", () => {
    const body = { error: 'idempotency_key_in_flight', message: 'Idempotency-Key: a request with this key is still running' };
    expect(toErrorBody(new ConflictException(body))).toEqual({ status: 409, body });
  });

  it("gives Nest's own errors (an unknown route) a code instead of a phrase", () => {
    expect(toErrorBody(new NotFoundException('Cannot GET /v1/nope'))).toEqual({ status: 404, body: { error: 'not_found', message: 'Cannot GET /v1/nope' } });
    expect(toErrorBody(new ForbiddenException())).toEqual({ status: 403, body: { error: 'forbidden', message: 'Forbidden' } });
    expect(toErrorBody(new PayloadTooLargeException())).toMatchObject({ status: 413, body: { error: 'payload_too_large' } });
  });

  it("turns body-parser's errors into codes: malformed JSON, a body over the limit, an encoding it cannot read", () => {
    const passed: unknown[] = [];
    for (const error of [
      parserError(400, 'entity.parse.failed', 'Unexpected end of JSON input'),
      Object.assign(parserError(413, 'entity.too.large', 'request entity too large'), { limit: 1024 }),
      parserError(415, 'encoding.unsupported', 'unsupported content encoding "br"'),
      new Error('something else'),
    ])
      bodyParserErrors(error, {}, {}, (e) => passed.push(e));
    expect(passed.slice(0, 3).map((e) => toErrorBody(e))).toEqual([
      { status: 400, body: { error: 'invalid_json', message: 'the body is not valid JSON: Unexpected end of JSON input' } },
      { status: 413, body: { error: 'payload_too_large', message: 'the body is larger than 1024 bytes' } },
      { status: 415, body: { error: 'unsupported_media_type', message: 'unsupported content encoding "br"' } },
    ]);
    expect((passed[3] as Error).message).toBe('something else');
  });

  it.each([
    ['PostgreSQL refusing connections', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', errno: -111 })],
    ['PostgreSQL shutting down (57P01)', Object.assign(new Error('terminating connection due to administrator command'), { name: 'error', code: '57P01' })],
    ['a connection lost mid-query', new Error('Connection terminated unexpectedly')],
    ['the pool giving up', new Error('timeout exceeded when trying to connect')],
    ['Kafka unreachable', Object.assign(new Error('Connection error: connect ECONNREFUSED'), { name: 'KafkaJSConnectionError', retriable: true })],
  ])('answers %s as an outage: 503 with Retry-After, the cause kept out of the body', (_name, error) => {
    expect(toErrorBody(error)).toEqual({
      status: 503,
      body: { error: 'unavailable', message: 'a service Hookline depends on is unavailable for now; retry later' },
      headers: { 'Retry-After': '5' },
    });
  });

  it('keeps a database error about the data itself a 500, not an outage', () => {
    expect(toErrorBody(Object.assign(new Error('value too long'), { name: 'error', code: '22001' }))).toMatchObject({
      status: 500,
      body: { error: 'internal_error' },
    });
  });

  it('says nothing about the cause of a server error', () => {
    expect(toErrorBody(new Error('connection to 10.0.0.5:5432 refused, password=hunter2'))).toEqual({
      status: 500,
      body: { error: 'internal_error', message: 'the request failed on the server; it was logged' },
    });
    expect(toErrorBody(new InternalServerErrorException('stack trace here'))).toMatchObject({ status: 500, body: { error: 'internal_error' } });
    expect(toErrorBody(Object.assign(new Error('x'), { status: 502 }))).toMatchObject({ status: 500 });
  });

  it('keeps a server error a use case chose to name', () => {
    expect(toErrorBody(new ApiError(500, 'key_unavailable', 'the secret does not open'))).toEqual({
      status: 500,
      body: { error: 'key_unavailable', message: 'the secret does not open' },
    });
  });
});

describe(ErrorBodyFilter.name, () => {
  /** Runs the filter on `error` with a real pino logger writing into an array; returns the answer and the log lines. */
  function handle(error: unknown) {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    const answer: { status?: number; headers?: Record<string, string>; body?: unknown } = {};
    const response = {
      headersSent: false,
      set: (headers: Record<string, string>) => void (answer.headers = headers),
      status: (status: number) => ((answer.status = status), { json: (body: unknown) => void (answer.body = body) }),
    };
    const host = { switchToHttp: () => ({ getRequest: () => ({ method: 'POST', originalUrl: '/v1/events?x=1' }), getResponse: () => response }) };
    new ErrorBodyFilter(logger).catch(error, host as unknown as ArgumentsHost);
    return { answer, lines };
  }

  it('logs an outage as one warning with the failure code and no stack, and answers 503 with Retry-After', () => {
    const { answer, lines } = handle(Object.assign(new Error('terminating connection due to administrator command'), { name: 'error', code: '57P01' }));
    expect(answer).toMatchObject({ status: 503, headers: { 'Retry-After': '5' } });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, path: '/v1/events', status: 503, failure: { class: 'transient', code: '57P01' } });
    expect(lines[0]).not.toHaveProperty('err');
  });

  it('logs any other server error with its stack', () => {
    const { answer, lines } = handle(new Error('boom'));
    expect(answer.status).toBe(500);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, status: 500, err: { message: 'boom' } });
    expect((lines[0].err as { stack: string }).stack).toContain('boom');
  });
});
