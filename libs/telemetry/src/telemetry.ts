import { context, propagation, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, ConsoleSpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

let provider: NodeTracerProvider | null = null;

/**
 * Starts tracing for a service. Must run before the service's other modules
 * load. Spans are always created (so every delivery gets a real `traceparent`);
 * they are exported only when the standard variables ask for it:
 * `OTEL_EXPORTER_OTLP_ENDPOINT` / `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (OTLP over
 * HTTP) or `OTEL_TRACES_EXPORTER=otlp|console|none`.
 */
export function startTelemetry(serviceName: string, env: NodeJS.ProcessEnv = process.env): void {
  if (provider) return;
  const wanted = (env.OTEL_TRACES_EXPORTER || (env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ? 'otlp' : 'none'))
    .split(',')
    .map((s) => s.trim());
  const spanProcessors: SpanProcessor[] = [];
  if (wanted.includes('otlp')) spanProcessors.push(new BatchSpanProcessor(new OTLPTraceExporter()));
  if (wanted.includes('console')) spanProcessors.push(new BatchSpanProcessor(new ConsoleSpanExporter()));
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME ?? `hookline-${serviceName}` }),
    spanProcessors,
  });
  provider.register();
}

export async function shutdownTelemetry(): Promise<void> {
  await provider?.shutdown();
  provider = null;
}

export function tracer(): Tracer {
  return trace.getTracer('hookline');
}

/** The context carried by message or request headers (`traceparent`, `tracestate`). */
export function contextFromHeaders(headers: Record<string, string | undefined>): Context {
  return propagation.extract(context.active(), headers);
}

/** Headers that carry the given span's context to the next hop. */
export function traceHeaders(span: Span): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(trace.setSpan(context.active(), span), carrier);
  return carrier;
}

/** The W3C `traceparent` value of a span. */
export function traceparentOf(span: Span): string {
  return traceHeaders(span).traceparent;
}
