import './tracing';
import { runService } from '@hookline/service-kit';
import { AppModule } from './app.module';
import { INBOUND_BODY_LIMIT, INGEST_JSON_LIMIT, loadIngestConfig } from './ingest.config';

void runService('ingest', () => {
  const config = loadIngestConfig();
  return {
    module: AppModule.register(config),
    port: config.INGEST_PORT,
    host: config.HOST,
    jsonLimit: INGEST_JSON_LIMIT,
    rawBodies: { '/v1/inbound': INBOUND_BODY_LIMIT },
  };
});
