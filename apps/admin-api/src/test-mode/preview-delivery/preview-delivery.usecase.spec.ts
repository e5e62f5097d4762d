import { deliveryIdFor, type EventId } from '@hookline/contracts';
import pino from 'pino';
import { fixedClock } from '../../endpoints/endpoint.fakes';
import { ENDPOINT_ID, RecordingAttempts, ScriptedHttp, sealedEndpoint, TENANT } from '../test-mode.fakes';
import { SendTestDelivery } from '../send-test-delivery/send-test-delivery.usecase';
import { PreviewDelivery } from './preview-delivery.usecase';

const NOW = '2026-11-22T10:00:00.000Z';
const sample = { type: 'invoice.paid', data: { invoiceId: 'inv_1' } };

function setup(row?: Parameters<typeof sealedEndpoint>[0], now = NOW) {
  const { endpoints, sealing } = sealedEndpoint(row);
  return { endpoints, sealing, useCase: new PreviewDelivery(endpoints, sealing, fixedClock(now), pino({ level: 'silent' })) };
}

describe(PreviewDelivery.name, () => {
  it('answers the request a test send at the same moment sends, byte for byte, but for the test mark and traceparent', async () => {
    const { endpoints, sealing, useCase } = setup();
    const http = new ScriptedHttp(() => ({ status: 200, headers: {}, body: '', bodyTruncated: false }));
    const sent = await new SendTestDelivery(
      endpoints,
      sealing,
      http,
      new RecordingAttempts(),
      fixedClock(NOW),
      () => 'test_1' as EventId,
      pino({ level: 'silent' }),
    ).execute(TENANT, ENDPOINT_ID, sample);
    // traceparent too, where tracing runs (not in unit specs): it belongs to the attempt's trace.
    const { 'x-hookline-test': mark, traceparent: _, ...live } = http.sent[0].headers;
    expect(mark).toBe('true');
    const preview = await useCase.execute(TENANT, ENDPOINT_ID, { ...sample, id: 'test_1' as EventId, nonce: live['x-hookline-nonce'] });
    expect(preview).toEqual({ method: 'POST', url: sent.url, headers: live, body: http.sent[0].body });
  });

  it('reproduces a given id, timestamp, occurredAt and nonce, and derives the delivery id as the pipeline does', async () => {
    const { useCase } = setup();
    const input = { ...sample, id: 'inv_1:paid' as EventId, timestamp: 1_795_000_000, occurredAt: '2026-11-22T11:00:00+01:00', nonce: 'n'.repeat(22) };
    const preview = await useCase.execute(TENANT, ENDPOINT_ID, input);
    expect(await useCase.execute(TENANT, ENDPOINT_ID, input)).toEqual(preview);
    expect(preview.headers).toMatchObject({
      'webhook-id': 'inv_1:paid',
      'webhook-timestamp': '1795000000',
      'x-hookline-nonce': 'n'.repeat(22),
      'x-hookline-delivery': deliveryIdFor(TENANT, input.id, ENDPOINT_ID),
    });
    expect(JSON.parse(preview.body).occurredAt).toBe('2026-11-22T10:00:00.000Z');
    expect('x-hookline-test' in preview.headers || 'traceparent' in preview.headers).toBe(false);
  });

  it('defaults to now: a new evt_ id, the timestamp of the clock and occurredAt at that instant', async () => {
    const { useCase } = setup();
    const preview = await useCase.execute(TENANT, ENDPOINT_ID, sample);
    expect(preview.headers['webhook-id']).toMatch(/^evt_/);
    expect(preview.headers['webhook-timestamp']).toBe(String(Date.parse(NOW) / 1000));
    expect(JSON.parse(preview.body).occurredAt).toBe(NOW);
  });

  it('signs with the secrets valid at the timestamp asked for', async () => {
    const rotated = setup();
    const [current] = rotated.endpoints.rows.get(ENDPOINT_ID)!.secrets;
    rotated.endpoints.rows.get(ENDPOINT_ID)!.secrets = [
      { ...current, expiresAt: '2026-11-22T09:00:00Z' },
      { ...current, expiresAt: null },
    ];
    const signatures = async (timestamp: number) =>
      (await rotated.useCase.execute(TENANT, ENDPOINT_ID, { ...sample, timestamp })).headers['webhook-signature'].split(' ').filter((s) => s.startsWith('v1,'));
    expect(await signatures(Date.parse('2026-11-22T08:00:00Z') / 1000)).toHaveLength(2);
    expect(await signatures(Date.parse('2026-11-22T10:00:00Z') / 1000)).toHaveLength(1);
  });

  it('answers 409 cannot_sign when nothing would be sent, 500 key_unavailable naming no value when a key does not open, 404 for no endpoint', async () => {
    const expired = setup({ signatureSchemes: ['v1'] });
    expired.endpoints.rows.get(ENDPOINT_ID)!.secrets[0].expiresAt = '2026-01-01T00:00:00Z';
    await expect(expired.useCase.execute(TENANT, ENDPOINT_ID, sample)).rejects.toMatchObject({ status: 409, code: 'cannot_sign' });

    const { endpoints } = setup();
    const foreign = new PreviewDelivery(endpoints, sealedEndpoint().sealing, fixedClock(NOW), pino({ level: 'silent' }));
    const error = await foreign.execute(TENANT, ENDPOINT_ID, sample).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 500, code: 'key_unavailable' });
    expect(JSON.stringify(error) + String(error)).not.toMatch(/whsec_|whsk_/);

    await expect(setup().useCase.execute('globex' as typeof TENANT, ENDPOINT_ID, sample)).rejects.toMatchObject({ status: 404 });
  });
});
