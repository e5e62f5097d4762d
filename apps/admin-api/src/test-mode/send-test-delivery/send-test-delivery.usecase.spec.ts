import { AttemptOutcomeSchema, deliveryIdFor, type EventId } from '@hookline/contracts';
import { SendError } from '@hookline/egress';
import { verifyWebhook } from '@hookline/verify';
import pino from 'pino';
import { Webhook } from 'standardwebhooks';
import { fixedClock } from '../../endpoints/endpoint.fakes';
import { newTestEventId } from '../test-event';
import { ED25519, ENDPOINT_ID, RecordingAttempts, ScriptedHttp, SECRET, sealedEndpoint, sequentialIds, TENANT } from '../test-mode.fakes';
import { SendTestDelivery } from './send-test-delivery.usecase';

const NOW = '2026-11-22T10:00:00.000Z';
const sample = { type: 'invoice.paid', data: { invoiceId: 'inv_1', amount: 4200 } };
const ok = (status = 200) => ({ status, headers: { 'x-receiver': 'r1' }, body: 'thanks', bodyTruncated: false });

function setup(options: { answer?: ConstructorParameters<typeof ScriptedHttp>[0]; row?: Parameters<typeof sealedEndpoint>[0]; sealing?: 'broken' } = {}) {
  const { endpoints, sealing } = sealedEndpoint(options.row);
  const http = new ScriptedHttp(options.answer ?? (() => ok()));
  const attempts = new RecordingAttempts();
  const keys = options.sealing === 'broken' ? sealedEndpoint().sealing : sealing;
  const useCase = new SendTestDelivery(endpoints, keys, http, attempts, fixedClock(NOW), sequentialIds(), pino({ level: 'silent' }));
  return { useCase, http, attempts };
}

describe(SendTestDelivery.name, () => {
  it('sends one signed request marked x-hookline-test, which verifies with standardwebhooks and @hookline/verify for every scheme', async () => {
    const { useCase, http } = setup();
    await useCase.execute(TENANT, ENDPOINT_ID, sample);
    expect(http.sent).toHaveLength(1);
    const [sent] = http.sent;
    expect(sent).toMatchObject({ url: 'https://hooks.example.com/in?team=billing', timeoutMs: 7_000 });
    expect(sent.headers).toMatchObject({ 'x-hookline-test': 'true', 'webhook-id': 'test_1', 'X-Team': 'billing' });
    expect(JSON.parse(sent.body)).toEqual({ id: 'test_1', type: 'invoice.paid', tenantId: TENANT, occurredAt: NOW, data: sample.data });
    const at = new Date(NOW);
    jest.useFakeTimers({ now: at });
    try {
      expect(new Webhook(SECRET).verify(sent.body, sent.headers)).toEqual(JSON.parse(sent.body));
    } finally {
      jest.useRealTimers();
    }
    for (const scheme of ['v1', 'hookline-v1', 'ed25519'] as const) {
      await expect(
        verifyWebhook({
          secrets: [SECRET],
          publicKeys: [ED25519.publicKey],
          schemes: [scheme],
          body: sent.body,
          headers: sent.headers,
          path: '/in?team=billing',
          now: at,
        }),
      ).resolves.toMatchObject({ scheme });
    }
  });

  it('logs the attempt apart: one outcome on the attempts topic with mode test, attempt 1, the delivery id derived from the test event', async () => {
    const { useCase, attempts, http } = setup({ answer: () => ok(201) });
    const answer = await useCase.execute(TENANT, ENDPOINT_ID, sample);
    expect(attempts.sent).toEqual([answer]);
    expect(AttemptOutcomeSchema.parse(answer)).toEqual(answer);
    expect(answer).toMatchObject({
      succeeded: true,
      failure: null,
      response: { status: 201, headers: { 'x-receiver': 'r1' }, body: 'thanks' },
      requestHeaders: http.sent[0].headers,
      mode: 'test',
      attempt: 1,
      endpointVersion: 3,
      deliveryId: deliveryIdFor(TENANT, 'test_1' as EventId, ENDPOINT_ID),
      event: { id: 'test_1' },
    });
    // A success does not repeat the request and its payload; the event log has it.
    expect('request' in answer).toBe(false);
    expect(JSON.parse(http.sent[0].body)).toMatchObject({ id: 'test_1' });
    expect(attempts.headers).toEqual([
      {
        'hookline-outcome': 'succeeded',
        'hookline-attempt': '1',
        'hookline-endpoint-version': '3',
        'hookline-mode': 'test',
        'hookline-event-type': answer.event.type,
      },
    ]);
  });

  it('sends to a disabled endpoint too: a test is how an operator checks it before enabling it again', async () => {
    const { useCase, http } = setup({ row: { enabled: false } });
    expect(await useCase.execute(TENANT, ENDPOINT_ID, sample)).toMatchObject({ succeeded: true });
    expect(http.sent).toHaveLength(1);
  });

  it.each([
    ['a non-2xx answer', () => ok(503), { kind: 'http_status', message: 'endpoint answered 503' }, 503],
    ['a timeout', () => Promise.reject(new SendError('timeout', 'no complete answer within 7000 ms')), { kind: 'timeout' }, null],
    ['an SSRF refusal', () => Promise.reject(new SendError('target_refused', 'SSRF block: a loopback address')), { kind: 'target_refused' }, null],
  ])('answers and logs %s as a failed attempt, never retried (retryAfterSeconds null)', async (_, answer, failure, status) => {
    const { useCase, attempts } = setup({ answer });
    const outcome = await useCase.execute(TENANT, ENDPOINT_ID, sample);
    expect(outcome).toMatchObject({ succeeded: false, failure, retryAfterSeconds: null });
    expect(outcome.response?.status ?? null).toBe(status);
    expect(attempts.sent).toEqual([outcome]);
  });

  it('sends nothing when the key material does not open, and says so in the logged attempt without any value', async () => {
    const { useCase, http, attempts } = setup({ sealing: 'broken' });
    const outcome = await useCase.execute(TENANT, ENDPOINT_ID, sample);
    expect(outcome).toMatchObject({ succeeded: false, failure: { kind: 'key_unavailable' }, requestHeaders: {} });
    expect(JSON.stringify(outcome)).not.toContain('whsec_');
    expect(http.sent).toHaveLength(0);
    expect(attempts.sent).toEqual([outcome]);
  });

  it('answers 404 for an endpoint of another tenant or none, and sends and logs nothing', async () => {
    const { useCase, http, attempts } = setup();
    await expect(useCase.execute('globex' as typeof TENANT, ENDPOINT_ID, sample)).rejects.toMatchObject({ status: 404 });
    expect(http.sent).toHaveLength(0);
    expect(attempts.sent).toHaveLength(0);
  });

  it('gives each test event a fresh test_ id, which no id ingest assigns can equal', () => {
    const ids = new Set(Array.from({ length: 1000 }, newTestEventId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^test_[0-9a-f]{32}$/);
  });
});
