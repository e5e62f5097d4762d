import { z } from 'zod';
import { MasterKeyring } from '@hookline/encryption';
import { randomBytes } from 'node:crypto';
import { BaseEnv, ConfigError, DatabaseEnv, env, loadConfig, MasterKeyEnv, masterKeyring } from './config';

describe(loadConfig.name, () => {
  const schema = BaseEnv.extend(DatabaseEnv.shape).extend({ PORT: env.port(3001), FLAG: env.bool(false) });

  it('applies defaults and coerces types', () => {
    const config = loadConfig('ingest', schema, { KAFKA_BROKERS: '127.0.0.1:9092', DATABASE_URL: 'postgres://u:p@h:5432/d', FLAG: 'true' });
    expect(config).toMatchObject({ PORT: 3001, FLAG: true, HOOKLINE_TOPIC_PARTITIONS: 2, HOOKLINE_TOPIC_PREFIX: '' });
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

  it('reads HOOKLINE_CONSUMER_STUCK_AFTER_MS, 60 s by default, and names its rule when it is out of range', () => {
    const base = { KAFKA_BROKERS: '127.0.0.1:9092', DATABASE_URL: 'postgres://u:p@h:5432/d' };
    expect(loadConfig('x', schema, base).HOOKLINE_CONSUMER_STUCK_AFTER_MS).toBe(60_000);
    expect(loadConfig('x', schema, { ...base, HOOKLINE_CONSUMER_STUCK_AFTER_MS: '3000' }).HOOKLINE_CONSUMER_STUCK_AFTER_MS).toBe(3_000);
    expect(() => loadConfig('x', schema, { ...base, HOOKLINE_CONSUMER_STUCK_AFTER_MS: '10' })).toThrow(
      'HOOKLINE_CONSUMER_STUCK_AFTER_MS must be 1000-3600000 (milliseconds)',
    );
    expect(() => loadConfig('x', schema, { ...base, HOOKLINE_CONSUMER_STUCK_AFTER_MS: 'soon' })).toThrow('HOOKLINE_CONSUMER_STUCK_AFTER_MS must be a number');
  });

  it('reports a missing required variable as required', () => {
    expect(() => loadConfig('x', z.object({ KAFKA_BROKERS: BaseEnv.shape.KAFKA_BROKERS }), {})).toThrow('KAFKA_BROKERS is required');
  });
});

describe('MasterKeyEnv', () => {
  const schema = MasterKeyEnv;
  const key = randomBytes(32);

  it('reads the current key and any previous ones into a keyring that opens both', () => {
    const old = randomBytes(32);
    const config = loadConfig('admin-api', schema, { HOOKLINE_MASTER_KEY: key.toString('base64'), HOOKLINE_MASTER_KEY_PREVIOUS: ` ${old.toString('hex')} ,` });
    expect(config.HOOKLINE_MASTER_KEY).toEqual(key);
    expect(config.HOOKLINE_MASTER_KEY_PREVIOUS).toEqual([old]);
    const sealedUnderOld = new MasterKeyring(old).seal('whsec_X', 'ctx');
    expect(masterKeyring(config).open(sealedUnderOld, 'ctx')).toBe('whsec_X');
  });

  it('requires the key and names the rule for a bad one without echoing it', () => {
    expect(() => loadConfig('admin-api', schema, {})).toThrow('HOOKLINE_MASTER_KEY is required');
    const short = randomBytes(20).toString('base64');
    let message = '';
    try {
      loadConfig('admin-api', schema, { HOOKLINE_MASTER_KEY: short, HOOKLINE_MASTER_KEY_PREVIOUS: 'zz' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('HOOKLINE_MASTER_KEY must be 32 bytes');
    expect(message).toContain('decodes to 20 bytes');
    expect(message).toContain('HOOKLINE_MASTER_KEY_PREVIOUS.0 must be 32 bytes');
    expect(message).not.toContain(short);
  });
});
