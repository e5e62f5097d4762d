export * from './fixtures';
export * from './fresh-database';
export * from './otlp-collector';
export * from './receiver';
export * from './service-in-process';
export * from './openapi-check';
export * from './schemathesis';
