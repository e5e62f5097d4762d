import './tracing';
import { BaseEnv, env, loadConfig } from '@hookline/config';
import { runService } from '@hookline/service-kit';
import { AppModule } from './app.module';

void runService('rules-engine', () => {
  const config = loadConfig('rules-engine', BaseEnv.extend({ RULES_ENGINE_PORT: env.port(3002) }));
  return { module: AppModule.register(config), port: config.RULES_ENGINE_PORT, host: config.HOST };
});
