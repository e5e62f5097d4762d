import { infraFromEnvironment } from './start-infra';

describe('infraFromEnvironment', () => {
  it('uses the servers KAFKA_BROKERS and DATABASE_URL name', () => {
    expect(infraFromEnvironment({ KAFKA_BROKERS: '127.0.0.1:9092,kafka-2:19092', DATABASE_URL: 'postgres://u:p@db:5432/x' })).toEqual({
      brokers: '127.0.0.1:9092,kafka-2:19092',
      databaseUrl: 'postgres://u:p@db:5432/x',
    });
    expect(infraFromEnvironment({ KAFKA_BROKERS: '', DATABASE_URL: ' ' })).toEqual({ brokers: undefined, databaseUrl: undefined });
  });

  it('refuses malformed ones by name, without echoing a URL that may hold a password', () => {
    expect(() => infraFromEnvironment({ KAFKA_BROKERS: 'localhost' })).toThrow(/^KAFKA_BROKERS must be a comma-separated list of host:port/);
    expect(() => infraFromEnvironment({ KAFKA_BROKERS: 'localhost:99999' })).toThrow(/^KAFKA_BROKERS .*port 1-65535/);
    const secret = 'mysql://root:hunter2@db/x';
    expect(() => infraFromEnvironment({ DATABASE_URL: secret })).toThrow(/^DATABASE_URL must be a postgres:\/\/ URL/);
    expect(() => infraFromEnvironment({ DATABASE_URL: secret })).not.toThrow(/hunter2/);
  });
});
