import { passThroughEnv } from './stack';

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
