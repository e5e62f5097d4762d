import {
  attemptIdFor,
  AttemptOutcomeV1Schema,
  AttemptsCompletedV1Topic,
  deliveryIdFor,
  DeliveryRequestSchema,
  type DeliveryId,
  type EndpointId,
  type EventId,
  type TenantId,
} from '@hookline/contracts';
import { createKafka, TopicNames } from '@hookline/kafka';
import { stackForSuite, waitForDelivery } from '../harness/test-stack';

interface Delivery {
  id: string;
  status: string;
  attempts: { attempt: number; succeeded: boolean; response: { status: number } | null }[];
}

/**
 * Outcomes produced on `hookline.attempts.completed.v1` before an upgrade
 * (every outcome with its whole request) are still logged by log-store and
 * retried by the retry-scheduler after it: the producers moved to v2, the
 * readers read both.
 */
describe('attempt outcomes left on the v1 topic at an upgrade', () => {
  const { stack, receiver } = stackForSuite({ env: { HOOKLINE_RETRY_SCHEDULE: '300ms,300ms' } });
  const kafka = createKafka({ clientId: 'outcome-v1-test', brokers: [stack.brokers] });
  const producer = kafka.producer();

  beforeAll(() => producer.connect());
  afterAll(() => producer.disconnect());

  /** A v1 outcome of attempt 1 of `eventId` to the endpoint, exactly as the old dispatcher wrote it. */
  const v1Outcome = (tenantId: string, endpointId: string, eventId: string, status: number) => {
    const deliveryId = deliveryIdFor(tenantId as TenantId, eventId as EventId, endpointId as EndpointId);
    const at = new Date().toISOString();
    const request = DeliveryRequestSchema.parse({
      deliveryId,
      tenantId,
      endpointId,
      endpointVersion: 1,
      attempt: 1,
      reason: 'initial',
      requestedAt: at,
      event: { id: eventId, tenantId, type: 'invoice.paid', data: { legacy: true }, occurredAt: at, receivedAt: at },
    });
    const ok = status >= 200 && status < 300;
    return AttemptOutcomeV1Schema.parse({
      attemptId: attemptIdFor(deliveryId as DeliveryId, 1),
      request,
      url: `${receiver.url}/legacy`,
      requestHeaders: { 'webhook-id': eventId },
      startedAt: at,
      durationMs: 4,
      succeeded: ok,
      failure: ok ? null : { kind: 'http_status', message: `endpoint answered ${status}` },
      response: { status, headers: {}, body: ok ? 'ok' : 'busy', bodyTruncated: false },
      retryAfterSeconds: null,
    });
  };

  it('logs a v1 failure and retries it from its request; logs a v1 success without sending it again', async () => {
    const tenantId = 'legacy';
    const created = await stack.api<{ id: string }>('admin-api', 'POST', `/v1/tenants/${tenantId}/endpoints`, { url: `${receiver.url}/legacy` });
    expect(created.status).toBe(201);
    const endpointId = created.body.id;
    const failed = v1Outcome(tenantId, endpointId, 'evt_v1_failed', 503);
    const succeeded = v1Outcome(tenantId, endpointId, 'evt_v1_succeeded', 200);
    await producer.send({
      topic: new TopicNames(stack.prefix).of(AttemptsCompletedV1Topic),
      messages: [failed, succeeded].map((o) => ({ key: endpointId, value: JSON.stringify(o) })),
    });

    const retried = await waitForDelivery<Delivery>(
      stack,
      tenantId,
      'evt_v1_failed',
      (d) => d.status === 'succeeded',
      'the v1 failure to be retried and succeed',
    );
    expect(retried.attempts.map((a) => [a.attempt, a.succeeded, a.response?.status])).toEqual([
      [1, false, 503],
      [2, true, 200],
    ]);
    // The retry carried the v1 request's event, payload included.
    const sent = receiver.requests.filter((r) => r.headers['webhook-id'] === 'evt_v1_failed');
    expect(sent.map((r) => JSON.parse(r.body))).toEqual([expect.objectContaining({ id: 'evt_v1_failed', data: { legacy: true } })]);

    const logged = await waitForDelivery<Delivery>(stack, tenantId, 'evt_v1_succeeded', (d) => d.status === 'succeeded', 'the v1 success to be logged');
    expect(logged.attempts.map((a) => [a.attempt, a.succeeded, a.response?.status])).toEqual([[1, true, 200]]);
    expect(receiver.requests.filter((r) => r.headers['webhook-id'] === 'evt_v1_succeeded')).toEqual([]);
  });
});
