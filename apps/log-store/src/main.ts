import './tracing';
import { runService } from '@hookline/service-kit';
import { AppModule } from './app.module';
import { loadLogStoreConfig } from './log-store.config';

void runService('log-store', () => {
  const config = loadLogStoreConfig();
  return { module: AppModule.register(config), port: config.LOG_STORE_PORT, host: config.HOST };
});
