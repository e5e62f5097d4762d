import { eventTypeKey, type EventTypeConfig } from '@hookline/contracts';
import { startServiceInProcess, type InProcessService } from '@hookline/testing';
import { randomBytes } from 'node:crypto';
import { AppModule } from './app.module';
import { INBOUND_BODY_LIMIT, INGEST_JSON_LIMIT, loadIngestConfig } from './ingest.config';
import type { TenantCatalog } from './schemas/check-schemas.usecase';
import { EventCatalog } from './schemas/event-catalog';

/** The catalog as given, in memory: in process there is no broker to read the catalog topic from (the real one is tested end to end). */
export class CatalogInMemory implements TenantCatalog {
  private readonly settings = new Map<string, EventTypeConfig>();
  set(config: EventTypeConfig): void {
    this.settings.set(eventTypeKey(config.tenantId, config.name), config);
  }
  async syncToLatest(): Promise<void> {}
  settingsOf(tenantId: string, type: string): EventTypeConfig | undefined {
    return this.settings.get(eventTypeKey(tenantId, type));
  }
}

/**
 * ingest in this process on `databaseUrl`, with `token` as its admin token, no reachable broker, `catalog` as
 * the event catalog, and a fresh master key unless `env` gives one (with any other variable it adds).
 */
export function startIngest(
  databaseUrl: string,
  token: string,
  catalog: TenantCatalog = new CatalogInMemory(),
  env: Record<string, string> = {},
  overrides: { provide: unknown; useValue: unknown }[] = [],
): Promise<InProcessService> {
  const config = loadIngestConfig({
    KAFKA_BROKERS: '127.0.0.1:9',
    DATABASE_URL: databaseUrl,
    HOOKLINE_ADMIN_TOKEN: token,
    HOOKLINE_MASTER_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'silent',
    ...env,
  });
  return startServiceInProcess(AppModule.register(config), {
    jsonLimit: INGEST_JSON_LIMIT,
    rawBodies: { '/v1/inbound': INBOUND_BODY_LIMIT },
    overrides: [{ provide: EventCatalog, useValue: catalog }, ...overrides],
  });
}
