import { MasterKeyring, parseMasterKey } from '@hookline/encryption';
import { z } from 'zod';

export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly problems: string[],
  ) {
    super(`${service}: invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const port = (fallback: number) =>
  z.coerce.number({ error: 'must be a number' }).int('must be an integer').min(1, 'must be 1-65535').max(65535, 'must be 1-65535').default(fallback);

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'], { error: 'must be "true" or "false"' })
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');

/** Variables every service reads. */
export const BaseEnv = z.object({
  KAFKA_BROKERS: z
    .string({ error: 'is required (comma-separated host:port list)' })
    .regex(/^[^,\s:]+:\d+(,[^,\s:]+:\d+)*$/, 'must be a comma-separated host:port list'),
  HOOKLINE_TOPIC_PREFIX: z
    .string()
    .regex(/^([a-z0-9-]+\.)?$/, 'must be empty or lowercase letters, digits and "-" ending with "."')
    .default(''),
  // Two, one per core of a small box: fewer, larger fetches (BENCHMARKS.md "Memory and idle"); deployments that scale out set more before topics are created.
  HOOKLINE_TOPIC_PARTITIONS: z.coerce.number({ error: 'must be a number' }).int().min(1, 'must be at least 1').max(1000).default(2),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOST: z.string().default('127.0.0.1'),
  /** How long a consumer may fail to make progress on a partition before /health/ready answers 503. */
  HOOKLINE_CONSUMER_STUCK_AFTER_MS: z.coerce
    .number({ error: 'must be a number' })
    .int('must be an integer')
    .min(1_000, 'must be 1000-3600000 (milliseconds)')
    .max(3_600_000, 'must be 1000-3600000 (milliseconds)')
    .default(60_000),
});

export const DatabaseEnv = z.object({
  DATABASE_URL: z.string({ error: 'is required (postgres://user:password@host:port/database)' }).regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
});

/** One master key, base64 or hex; the issue names the rule, never the value. */
const masterKey = z.string().transform((text, ctx) => {
  try {
    return parseMasterKey(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

/**
 * The key that encrypts secrets at rest (endpoint secrets, private signing
 * keys, stored idempotent responses). `HOOKLINE_MASTER_KEY_PREVIOUS` lists
 * older keys, comma-separated, that still open values sealed before a rotation.
 */
export const MasterKeyEnv = z.object({
  HOOKLINE_MASTER_KEY: z.string({ error: 'is required (32 bytes as base64: openssl rand -base64 32)' }).pipe(masterKey),
  HOOKLINE_MASTER_KEY_PREVIOUS: z
    .string()
    .default('')
    .transform((list) =>
      list
        .split(',')
        .map((k) => k.trim())
        .filter(Boolean),
    )
    .pipe(z.array(masterKey)),
});

/** The keyring a service with `MasterKeyEnv` in its config seals and opens secrets with. */
export function masterKeyring(config: z.infer<typeof MasterKeyEnv>): MasterKeyring {
  return new MasterKeyring(config.HOOKLINE_MASTER_KEY, config.HOOKLINE_MASTER_KEY_PREVIOUS);
}

export const env = { port, bool };

/**
 * Parses the environment against a service's schema; on failure throws one
 * error that names every bad variable and the rule it broke. Values of the
 * variables are never echoed (they may be secrets).
 */
export function loadConfig<S extends z.ZodObject>(service: string, schema: S, source: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.map(String).join('.') || '(environment)';
    const missing = issue.code === 'invalid_type' && source[name] === undefined;
    return missing ? `${name} is required` : `${name} ${issue.message.replace(/^Invalid input: /, '')}`;
  });
  throw new ConfigError(service, problems);
}
