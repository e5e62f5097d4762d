import { activeSecrets, deliveryBody, type DeliveryRequest, type EndpointConfig } from '@hookline/contracts';
import { context } from '@hookline/telemetry';
import { Webhook } from 'standardwebhooks';
import { SendError, type HttpSender, type InboundResponse, type OutboundRequest } from '../http/http-sender';
import { DeliverAttempt } from './deliver-attempt.usecase';

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const endpoint: EndpointConfig = {
  id: '5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11',
  tenantId: 'acme',
  url: 'https://hooks.example.test/in',
  description: '',
  eventTypes: ['*'],
  secrets: [{ secret, createdAt: '2026-01-01T00:00:00Z', expiresAt: null }],
  headers: { 'X-Team': 'billing', 'Webhook-Id': 'forged', 'Content-Type': 'text/plain' },
  enabled: true,
  timeoutMs: 10_000,
  version: 1,
  updatedAt: '2026-01-01T00:00:00Z',
};
const request: DeliveryRequest = {
  deliveryId: '0d2f4c7e-1111-4222-8333-944455556666',
  tenantId: 'acme',
  endpointId: endpoint.id,
  endpointVersion: 1,
  attempt: 2,
  reason: 'retry',
  requestedAt: '2026-11-22T10:00:00Z',
  event: { id: 'evt_1', tenantId: 'acme', type: 'invoice.paid', data: { amount: 1 }, occurredAt: '2026-11-22T09:59:00.000Z', receivedAt: '2026-11-22T09:59:00.000Z' },
};

/** An HTTP port that records what it was asked to send and answers as told. */
class ScriptedHttp implements HttpSender {
  sent: OutboundRequest[] = [];
  constructor(private readonly answer: (req: OutboundRequest) => InboundResponse) {}
  async post(req: OutboundRequest): Promise<InboundResponse> {
    this.sent.push(req);
    return this.answer(req);
  }
}

const clockAt = (iso: string) => ({ now: () => new Date(iso) });
const ok = (status = 200, headers: Record<string, string> = {}): InboundResponse => ({ status, headers, body: 'ok', bodyTruncated: false });

describe(DeliverAttempt.name, () => {
  it('sends the exact signed body with every Hookline header, and custom headers cannot replace them', async () => {
    const http = new ScriptedHttp(() => ok());
    const outcome = await new DeliverAttempt(http, clockAt('2026-11-22T10:00:00Z')).execute(request, endpoint, context.active());
    const [sent] = http.sent;
    expect(sent.body).toBe(deliveryBody(request.event));
    expect(sent.headers).toMatchObject({
      'content-type': 'application/json',
      'webhook-id': 'evt_1',
      'webhook-timestamp': String(Date.parse('2026-11-22T10:00:00Z') / 1000),
      'x-hookline-event': 'invoice.paid',
      'x-hookline-delivery': request.deliveryId,
      'idempotency-key': request.deliveryId,
      'X-Team': 'billing',
    });
    expect(sent.headers['Webhook-Id']).toBeUndefined();
    expect(sent.headers['Content-Type']).toBeUndefined();
    expect(sent.timeoutMs).toBe(10_000);
    // Verifies as Standard Webhooks (timestamp tolerance aside: the clock is fixed in the past).
    const wh = new Webhook(secret);
    jest.useFakeTimers({ now: new Date('2026-11-22T10:00:30Z') });
    try {
      expect(wh.verify(sent.body, sent.headers)).toEqual(JSON.parse(sent.body));
    } finally {
      jest.useRealTimers();
    }
    expect(outcome).toMatchObject({ succeeded: true, failure: null, url: endpoint.url, response: { status: 200 }, retryAfterSeconds: null });
  });

  it.each([
    [302, 'endpoint answered 302'],
    [404, 'endpoint answered 404'],
    [500, 'endpoint answered 500'],
  ])('counts %i as a failure', async (status, message) => {
    const outcome = await new DeliverAttempt(new ScriptedHttp(() => ok(status))).execute(request, endpoint, context.active());
    expect(outcome).toMatchObject({ succeeded: false, failure: { kind: 'http_status', message }, response: { status } });
  });

  it('reads Retry-After on 429 and 503 only', async () => {
    const at = async (status: number) =>
      (await new DeliverAttempt(new ScriptedHttp(() => ok(status, { 'retry-after': '120' }))).execute(request, endpoint, context.active())).retryAfterSeconds;
    expect(await at(429)).toBe(120);
    expect(await at(503)).toBe(120);
    expect(await at(500)).toBeNull();
  });

  it('turns send errors into outcomes', async () => {
    const failing: HttpSender = { post: async () => Promise.reject(new SendError('timeout', 'no complete answer within 10000 ms')) };
    const outcome = await new DeliverAttempt(failing).execute(request, endpoint, context.active());
    expect(outcome).toMatchObject({ succeeded: false, failure: { kind: 'timeout' }, response: null });
  });

  it('does not send to a deleted or disabled endpoint', async () => {
    const http = new ScriptedHttp(() => ok());
    const attempt = new DeliverAttempt(http);
    expect(await attempt.execute(request, undefined, context.active())).toMatchObject({ succeeded: false, failure: { kind: 'endpoint_missing' } });
    expect(await attempt.execute(request, { ...endpoint, enabled: false }, context.active())).toMatchObject({ succeeded: false, failure: { kind: 'endpoint_disabled' } });
    expect(http.sent).toHaveLength(0);
  });

  it('reports an endpoint whose secrets all expired instead of throwing (regression: the message was retried forever)', async () => {
    const http = new ScriptedHttp(() => ok());
    const expired = { ...endpoint, secrets: [{ secret, createdAt: '', expiresAt: '2000-01-01T00:00:00Z' }] };
    expect(await new DeliverAttempt(http).execute(request, expired, context.active())).toMatchObject({ succeeded: false, failure: { kind: 'no_valid_secret' } });
    expect(http.sent).toHaveLength(0);
  });

  it('signs with every secret that has not expired (rotation overlap)', () => {
    const now = new Date('2026-11-22T10:00:00Z');
    const rotated = { ...endpoint, secrets: [
      { secret: 'whsec_old', createdAt: '', expiresAt: '2026-11-22T11:00:00Z' },
      { secret: 'whsec_older', createdAt: '', expiresAt: '2026-11-22T09:00:00Z' },
      { secret: 'whsec_new', createdAt: '', expiresAt: null },
    ] };
    expect(activeSecrets(rotated.secrets, now).map((s) => s.secret)).toEqual(['whsec_old', 'whsec_new']);
  });
});
