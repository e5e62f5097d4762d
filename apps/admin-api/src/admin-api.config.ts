import { BaseEnv, DatabaseEnv, env, loadConfig, MasterKeyEnv } from '@hookline/config';
import { z } from 'zod';

export const AdminEnv = BaseEnv.extend(DatabaseEnv.shape)
  .extend(MasterKeyEnv.shape)
  .extend({
    ADMIN_API_PORT: env.port(3000),
    HOOKLINE_ADMIN_TOKEN: z.string({ error: 'is required' }).min(16, 'must be at least 16 characters'),
    HOOKLINE_ALLOW_PRIVATE_TARGETS: env.bool(false),
  });
export type AdminConfig = z.infer<typeof AdminEnv>;
export const loadAdminConfig = (source: NodeJS.ProcessEnv = process.env) => loadConfig('admin-api', AdminEnv, source);
