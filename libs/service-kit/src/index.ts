export * from './auth/bearer-token.guard';
export * from './bootstrap';
export * from './core.module';
export * from './health/health.controller';
export * from './logging/logger';
export * from './metrics/metrics.controller';
export * from './idempotency';
