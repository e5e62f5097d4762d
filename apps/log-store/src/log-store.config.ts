import { BaseEnv, DatabaseEnv, env, loadConfig } from '@hookline/config';
import { z } from 'zod';

export const LogStoreEnv = BaseEnv.extend(DatabaseEnv.shape).extend({
  LOG_STORE_PORT: env.port(3005),
  HOOKLINE_LOG_RETENTION_DAYS: z.coerce.number({ error: 'must be a number' }).int().min(1, 'must be at least 1').max(3650).default(30),
});
export type LogStoreConfig = z.infer<typeof LogStoreEnv>;
export const loadLogStoreConfig = (source: NodeJS.ProcessEnv = process.env) => loadConfig('log-store', LogStoreEnv, source);
