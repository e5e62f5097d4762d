export * from './telemetry';
export { SpanKind, SpanStatusCode, context, trace, type Context, type Span } from '@opentelemetry/api';
