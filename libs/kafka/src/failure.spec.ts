import { classifyFailure, isTransientFailure, PermanentFailure, redact } from './failure';

/** node-postgres' DatabaseError: `name` is "error", `code` the SQLSTATE. */
const pgError = (code: string, message = 'database error') => Object.assign(new Error(message), { name: 'error', code, severity: 'ERROR' });
/** TypeORM's QueryFailedError copies the driver error's fields and keeps it as `driverError`. */
const queryFailed = (code: string) => {
  const driverError = pgError(code);
  return Object.assign(new Error(driverError.message), { ...driverError, name: 'QueryFailedError', driverError, query: 'INSERT …' });
};
const socketError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code, errno: -1, syscall: 'connect' });
const kafkaError = (name: string, fields: Record<string, unknown> = {}) => Object.assign(new Error(name), { name, retriable: false, ...fields });

describe(classifyFailure.name, () => {
  it.each([
    ['22008', 'datetime field overflow'],
    ['22001', 'string data right truncation'],
    ['22P02', 'invalid text representation'],
    ['22021', 'character not in repertoire (NUL)'],
    ['23505', 'unique violation'],
    ['23503', 'foreign key violation'],
    ['23502', 'not null violation'],
    ['42703', 'undefined column'],
    ['42P01', 'undefined table'],
    ['54000', 'program limit exceeded'],
    ['P0001', 'raise_exception'],
  ])('PostgreSQL %s (%s) is permanent: the record is at fault', (code) => {
    expect(classifyFailure(pgError(code)).class).toBe('permanent');
    expect(classifyFailure(queryFailed(code)).class).toBe('permanent');
  });

  it.each([
    ['08006', 'connection failure'],
    ['08001', 'cannot establish connection'],
    ['40001', 'serialization failure'],
    ['40P01', 'deadlock detected'],
    ['53300', 'too many connections'],
    ['53100', 'disk full'],
    ['55P03', 'lock not available'],
    ['57P01', 'admin shutdown'],
    ['57P03', 'cannot connect now (starting up)'],
    ['57014', 'query canceled'],
    ['58030', 'io error'],
    ['XX000', 'internal error'],
  ])('PostgreSQL %s (%s) is transient: the database is down or busy', (code) => {
    expect(classifyFailure(pgError(code)).class).toBe('transient');
    expect(classifyFailure(queryFailed(code)).class).toBe('transient');
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN'])(
    'a socket error %s is transient',
    (code) => {
      expect(classifyFailure(socketError(code)).class).toBe('transient');
    },
  );

  it.each([
    'Connection terminated unexpectedly',
    'Connection terminated due to connection timeout',
    'timeout exceeded when trying to connect',
    'Client has encountered a connection error and is not queryable',
    'the database system is starting up',
  ])('node-postgres saying "%s" (no code) is transient', (message) => {
    expect(classifyFailure(new Error(message)).class).toBe('transient');
  });

  it('a dual-stack connect that failed on every address (AggregateError) is transient', () => {
    expect(classifyFailure(new AggregateError([socketError('ECONNREFUSED'), socketError('ECONNREFUSED')], '')).class).toBe('transient');
    expect(classifyFailure(new AggregateError([socketError('ECONNREFUSED'), new Error('bug')], '')).class).toBe('unknown');
  });

  it('KafkaJS: retriable errors, connection errors and retries run out over them are transient; a record too large is permanent', () => {
    expect(classifyFailure(kafkaError('KafkaJSProtocolError', { retriable: true, type: 'LEADER_NOT_AVAILABLE' })).class).toBe('transient');
    expect(classifyFailure(kafkaError('KafkaJSConnectionError')).class).toBe('transient');
    expect(classifyFailure(kafkaError('KafkaJSRequestTimeoutError')).class).toBe('transient');
    expect(classifyFailure(kafkaError('KafkaJSBrokerNotFound')).class).toBe('transient');
    expect(classifyFailure(kafkaError('KafkaJSNumberOfRetriesExceeded', { originalError: kafkaError('KafkaJSConnectionError') })).class).toBe('transient');
    expect(classifyFailure(kafkaError('KafkaJSProtocolError', { type: 'MESSAGE_TOO_LARGE' })).class).toBe('permanent');
    expect(
      classifyFailure(kafkaError('KafkaJSNumberOfRetriesExceeded', { originalError: kafkaError('KafkaJSProtocolError', { type: 'MESSAGE_TOO_LARGE' }) })).class,
    ).toBe('permanent');
    expect(classifyFailure(kafkaError('KafkaJSProtocolError', { type: 'TOPIC_AUTHORIZATION_FAILED' })).class).toBe('unknown');
  });

  it('a use case saying a record can never be processed is permanent, also as the cause of another error', () => {
    expect(classifyFailure(new PermanentFailure('no such tenant')).class).toBe('permanent');
    expect(classifyFailure(new Error('wrapped', { cause: new PermanentFailure('no') })).class).toBe('permanent');
  });

  it('anything else is unknown: a bug, a thrown string, a SQLSTATE-looking code on a foreign error', () => {
    expect(classifyFailure(new TypeError("Cannot read properties of undefined (reading 'id')")).class).toBe('unknown');
    expect(classifyFailure('boom').class).toBe('unknown');
    expect(classifyFailure(undefined).class).toBe('unknown');
    expect(classifyFailure(Object.assign(new Error('x'), { code: '22008' })).class).toBe('unknown');
  });

  it('describes the failure with its code and no quoted value', () => {
    expect(classifyFailure(pgError('22008', 'date/time field value out of range: "0000-01-01T00:00:00Z"'))).toEqual({
      class: 'permanent',
      code: '22008',
      name: 'error',
      message: 'date/time field value out of range: "…"',
    });
    expect(classifyFailure(queryFailed('23505')).code).toBe('23505');
  });
});

describe(isTransientFailure.name, () => {
  it('is true for an outage only', () => {
    expect(isTransientFailure(socketError('ECONNREFUSED'))).toBe(true);
    expect(isTransientFailure(pgError('57P01'))).toBe(true);
    expect(isTransientFailure(pgError('22008'))).toBe(false);
    expect(isTransientFailure(new Error('bug'))).toBe(false);
  });
});

describe(redact.name, () => {
  it('drops double- and single-quoted parts and caps the length', () => {
    expect(redact(`invalid input syntax for type uuid: "abc" near 'secret'`)).toBe(`invalid input syntax for type uuid: "…" near '…'`);
    expect(redact('x'.repeat(400))).toHaveLength(301);
  });
});
