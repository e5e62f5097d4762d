import { BaseEnv, DatabaseEnv, env, loadConfig } from '@hookline/config';
import { z } from 'zod';

export const IngestEnv = BaseEnv.extend(DatabaseEnv.shape).extend({
  INGEST_PORT: env.port(3001),
  HOOKLINE_ADMIN_TOKEN: z.string({ error: 'is required' }).min(16, 'must be at least 16 characters'),
});
export type IngestConfig = z.infer<typeof IngestEnv>;

/** A batch carries up to 500 events; each event is limited separately to 256 KiB. */
export const INGEST_JSON_LIMIT = '16mb';

export function loadIngestConfig(source: NodeJS.ProcessEnv = process.env): IngestConfig {
  return loadConfig('ingest', IngestEnv, source);
}
