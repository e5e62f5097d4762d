export * from './receiver';
export * from './otlp-collector';
