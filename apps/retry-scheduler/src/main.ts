import './tracing';
import { runService } from '@hookline/service-kit';
import { AppModule } from './app.module';
import { loadRetrySchedulerConfig } from './retry-scheduler.config';

void runService('retry-scheduler', () => {
  const config = loadRetrySchedulerConfig();
  return { module: AppModule.register(config), port: config.RETRY_SCHEDULER_PORT, host: config.HOST };
});
