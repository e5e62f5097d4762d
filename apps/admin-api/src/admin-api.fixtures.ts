import { startServiceInProcess, type InProcessService } from '@hookline/testing';
import { randomBytes } from 'node:crypto';
import { loadAdminConfig } from './admin-api.config';
import { AppModule } from './app.module';

/** admin-api in this process on `databaseUrl`, with `token` as its admin token, a fresh master key and no reachable broker; `env` adds or overrides variables. */
export function startAdminApi(databaseUrl: string, token: string, env: Record<string, string> = {}): Promise<InProcessService> {
  const config = loadAdminConfig({
    KAFKA_BROKERS: '127.0.0.1:9',
    DATABASE_URL: databaseUrl,
    HOOKLINE_ADMIN_TOKEN: token,
    HOOKLINE_MASTER_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'silent',
    ...env,
  });
  return startServiceInProcess(AppModule.register(config));
}
