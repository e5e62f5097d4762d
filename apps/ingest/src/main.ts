import './tracing';
import { runService } from '@hookline/service-kit';
import { AppModule } from './app.module';
import { loadIngestConfig } from './ingest.config';

void runService('ingest', () => {
  const config = loadIngestConfig();
  // A batch carries up to 500 events; each event is limited separately to 256 KiB.
  return { module: AppModule.register(config), port: config.INGEST_PORT, host: config.HOST, jsonLimit: '16mb' };
});
