import { BaseEnv, DatabaseEnv, env, loadConfig, MasterKeyEnv } from '@hookline/config';
import { z } from 'zod';

export const IngestEnv = BaseEnv.extend(DatabaseEnv.shape)
  .extend(MasterKeyEnv.shape)
  .extend({
    INGEST_PORT: env.port(3001),
    HOOKLINE_ADMIN_TOKEN: z.string({ error: 'is required' }).min(16, 'must be at least 16 characters'),
    /** How long an accept waits for concurrent ones to share its dedup claim and publication; 0 turns grouping off. */
    HOOKLINE_INGEST_LINGER_MS: z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number of milliseconds')
      .min(0, 'must be 0-10 (milliseconds)')
      .max(10, 'must be 0-10 (milliseconds)')
      .default(1),
    /** The public URL ingest is reached at (behind a proxy), as providers that sign the URL (Twilio, Plivo, MessageBird) call it; the request's own host otherwise. */
    HOOKLINE_INBOUND_BASE_URL: z.url('must be an absolute URL, e.g. https://hooks.example.com').optional(),
    HOOKLINE_ALLOW_PRIVATE_TARGETS: env.bool(false),
  });
export type IngestConfig = z.infer<typeof IngestEnv>;

/** A batch carries up to 500 events; each event is limited separately to 256 KiB. */
export const INGEST_JSON_LIMIT = '16mb';

/** An inbound callback's body at most: refused (413) before it is read whole. */
export const INBOUND_BODY_LIMIT = '1mb';

/**
 * A group of accepts holds at most as many events as the producer sends in one
 * batch; two groups run at once, one claiming while the other publishes, each
 * on one database connection.
 */
export const INGEST_GROUP_MAX_EVENTS = 1000;
export const INGEST_GROUPS_IN_FLIGHT = 2;

export function loadIngestConfig(source: NodeJS.ProcessEnv = process.env): IngestConfig {
  return loadConfig('ingest', IngestEnv, source);
}
