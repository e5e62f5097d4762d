import { z } from 'zod';
import { BaseEnv, ConfigError, DatabaseEnv, env, loadConfig } from './config';

describe(loadConfig.name, () => {
  const schema = BaseEnv.extend(DatabaseEnv.shape).extend({ PORT: env.port(3001), FLAG: env.bool(false) });

  it('applies defaults and coerces types', () => {
    const config = loadConfig('ingest', schema, { KAFKA_BROKERS: '127.0.0.1:9092', DATABASE_URL: 'postgres://u:p@h:5432/d', FLAG: 'true' });
    expect(config).toMatchObject({ PORT: 3001, FLAG: true, HOOKLINE_TOPIC_PARTITIONS: 6, HOOKLINE_TOPIC_PREFIX: '' });
  });

  it('names every bad variable and the rule it broke, without echoing values', () => {
    let error: unknown;
    try {
      loadConfig('ingest', schema, { KAFKA_BROKERS: 'nope', DATABASE_URL: 'mysql://secret-password@h/d', PORT: '70000' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('KAFKA_BROKERS must be a comma-separated host:port list');
    expect(message).toContain('DATABASE_URL must be a postgres:// URL');
    expect(message).toContain('PORT must be 1-65535');
    expect(message).not.toContain('secret-password');
  });

  it('reports a missing required variable as required', () => {
    expect(() => loadConfig('x', z.object({ KAFKA_BROKERS: BaseEnv.shape.KAFKA_BROKERS }), {})).toThrow('KAFKA_BROKERS is required');
  });
});
