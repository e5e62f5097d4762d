import { instanceCounts, passThroughEnv } from './stack';

describe('passThroughEnv', () => {
  const settings = {
    HOOKLINE_RETRY_SCHEDULE: '1s,2s',
    HOOKLINE_ADMIN_TOKEN: 'admin-token-of-the-shell',
    DISPATCHER_ENDPOINT_CONCURRENCY: '5',
    RETRY_SCHEDULER_POLL_MS: '100',
    LOG_STORE_BATCH: '10',
    OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
    LOG_LEVEL: 'debug',
    DATABASE_POOL_SIZE: '4',
    HOST: '0.0.0.0',
  };
  const shell = {
    ...settings,
    PATH: '/usr/bin',
    HOME: '/root',
    HOSTNAME: 'box',
    DATABASE_URL: 'postgres://u:p@db/x',
    NODE_OPTIONS: '--inspect',
    MY_HOOKLINE_THING: 'x',
  };

  it('hands the services their settings from the shell and nothing else', () => {
    expect(passThroughEnv([], shell)).toEqual(settings);
  });

  it('leaves out what the caller sets itself', () => {
    const env = passThroughEnv(['HOOKLINE_ADMIN_TOKEN', 'HOST'], shell);
    expect(env).not.toHaveProperty('HOOKLINE_ADMIN_TOKEN');
    expect(env).not.toHaveProperty('HOST');
    expect(env).toHaveProperty('LOG_LEVEL', 'debug');
  });
});

describe('instanceCounts', () => {
  it('runs one of each service by default, the same number of each for a number, and one of those a record leaves out', () => {
    expect(Object.values(instanceCounts())).toEqual([1, 1, 1, 1, 1, 1]);
    expect(Object.values(instanceCounts(3))).toEqual([3, 3, 3, 3, 3, 3]);
    expect(instanceCounts({ dispatcher: 2, 'rules-engine': 2 })).toEqual({
      'admin-api': 1,
      ingest: 1,
      'rules-engine': 2,
      dispatcher: 2,
      'retry-scheduler': 1,
      'log-store': 1,
    });
  });

  it('refuses a count that is not a whole number from 1 to 9, naming the service', () => {
    expect(() => instanceCounts({ dispatcher: 0 })).toThrow('instances of dispatcher must be a whole number from 1 to 9 (got 0)');
    expect(() => instanceCounts(10)).toThrow('instances of admin-api must be a whole number from 1 to 9 (got 10)');
    expect(() => instanceCounts({ ingest: 1.5 })).toThrow('instances of ingest');
  });
});
