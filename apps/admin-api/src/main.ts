import './tracing';
import { runService } from '@hookline/service-kit';
import { loadAdminConfig } from './admin-api.config';
import { AppModule } from './app.module';

void runService('admin-api', () => {
  const config = loadAdminConfig();
  return { module: AppModule.register(config), port: config.ADMIN_API_PORT, host: config.HOST };
});
