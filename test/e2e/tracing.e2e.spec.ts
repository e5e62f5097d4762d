import { OtlpCollector, Receiver, type CollectedSpan } from '@hookline/testing';
import { testStack } from '../harness/test-stack';

describe('one trace per event', () => {
  const collector = new OtlpCollector();
  const receiver = new Receiver();
  let stack: ReturnType<typeof testStack>;

  beforeAll(async () => {
    const endpoint = await collector.start();
    await receiver.start();
    stack = testStack({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_BSP_SCHEDULE_DELAY: '100' });
    await stack.start();
  }, 180_000);

  afterAll(async () => {
    await stack.stop();
    await receiver.stop();
    await collector.stop();
  });

  it('links ingest → rules → dispatch → attempt → log write, and sends the attempt span as traceparent', async () => {
    await stack.api('admin-api', 'POST', '/v1/tenants/tyrell/endpoints', { url: `${receiver.url}/traced`, eventTypes: ['*'] });
    const sent = await stack.api<{ id: string }>('ingest', 'POST', '/v1/events', { tenantId: 'tyrell', type: 'licence.renewed', data: {} });
    const [delivered] = await receiver.waitFor((r) => r.headers['webhook-id'] === sent.body.id);
    const [, traceId, attemptSpanId] = delivered.headers.traceparent.split('-');

    const names = ['ingest event', 'route event', 'dispatch', 'attempt 1', 'log attempt'];
    let spans: CollectedSpan[] = [];
    for (let i = 0; i < 100; i++) {
      spans = collector.trace(traceId);
      if (names.every((n) => spans.some((s) => s.name === n))) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const byName = (name: string) => {
      const span = spans.find((s) => s.name === name);
      if (!span) throw new Error(`no "${name}" span in trace ${traceId}; got ${spans.map((s) => s.name).join(', ')}`);
      return span;
    };
    const [ingest, route, dispatch, attempt, log] = names.map(byName);
    expect(ingest).toMatchObject({ service: 'hookline-ingest', parentSpanId: '' });
    expect(route).toMatchObject({ service: 'hookline-rules-engine', parentSpanId: ingest.spanId });
    expect(dispatch).toMatchObject({ service: 'hookline-dispatcher', parentSpanId: route.spanId });
    expect(attempt).toMatchObject({ service: 'hookline-dispatcher', parentSpanId: dispatch.spanId, spanId: attemptSpanId });
    expect(log).toMatchObject({ service: 'hookline-log-store', parentSpanId: attempt.spanId });
  });
});
