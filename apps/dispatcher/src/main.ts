import './tracing';
import { runService } from '@hookline/service-kit';
import { AppModule } from './app.module';
import { loadDispatcherConfig } from './dispatcher.config';

void runService('dispatcher', () => {
  const config = loadDispatcherConfig();
  return { module: AppModule.register(config), port: config.DISPATCHER_PORT, host: config.HOST };
});
