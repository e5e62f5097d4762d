import { BaseEnv, DatabaseEnv, env, loadConfig, MasterKeyEnv } from '@hookline/config';
import { z } from 'zod';

export const AdminEnv = BaseEnv.extend(DatabaseEnv.shape)
  .extend(MasterKeyEnv.shape)
  .extend({
    ADMIN_API_PORT: env.port(3000),
    HOOKLINE_ADMIN_TOKEN: z.string({ error: 'is required' }).min(16, 'must be at least 16 characters'),
    HOOKLINE_ALLOW_PRIVATE_TARGETS: env.bool(false),
    /** Where Telegram's Bot API is: a Telegram chat endpoint posts to `<this>/bot<token>/sendMessage`. */
    HOOKLINE_TELEGRAM_API_URL: z.url('must be an absolute URL').default('https://api.telegram.org'),
    /** The console's built files (index.html, assets/); apps/console/dist unless given. */
    HOOKLINE_CONSOLE_DIR: z.string().min(1, 'must not be empty').optional(),
    /** Deliveries per second a recovery job resends to an endpoint without a rate limit of its own. */
    HOOKLINE_RECOVERY_RATE: z.coerce.number().int('must be a whole number').min(1, 'must be 1-100000').max(100_000, 'must be 1-100000').default(100),
    /** How long a runner's hold on a recovery job lasts without renewal: after it, another admin-api instance takes the job over. */
    HOOKLINE_RECOVERY_LEASE_MS: z.coerce
      .number()
      .int('must be a whole number')
      .min(1_000, 'must be 1000-600000')
      .max(600_000, 'must be 1000-600000')
      .default(30_000),
    /** How often an idle runner looks for a recovery job. */
    HOOKLINE_RECOVERY_POLL_MS: z.coerce.number().int('must be a whole number').min(100, 'must be 100-60000').max(60_000, 'must be 100-60000').default(1_000),
  });
export type AdminConfig = z.infer<typeof AdminEnv>;
export const loadAdminConfig = (source: NodeJS.ProcessEnv = process.env) => loadConfig('admin-api', AdminEnv, source);
