import { EventsAcceptedTopic, type EventEnvelope } from '@hookline/contracts';
import { MasterKeyring } from '@hookline/encryption';
import { inboundEventId, sourceSecretContext } from '@hookline/inbound';
import { freshDatabase, type InProcessService } from '@hookline/testing';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { CatalogInMemory, startIngest } from '../ingest.fixtures';
import { PurgeInboundLogJob } from './purge-inbound-log/purge-inbound-log.job';

interface LogRow {
  outcome: string;
  status: number;
  reason: string | null;
  size: number;
  event_ids: string[];
  body: string | null;
  tenant_id: string | null;
}

/**
 * The inbound route over HTTP, in process on a real PostgreSQL (what it
 * publishes is recorded): sources written as admin-api writes them (secret
 * sealed under the master key), requests signed here as the providers sign
 * them, every outcome in the inbound log.
 */
describe('inbound route', () => {
  const database = freshDatabase();
  const TOKEN = `admin-token-${randomBytes(8).toString('hex')}`;
  const masterKey = randomBytes(32);
  const keyring = new MasterKeyring(masterKey);
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  let api: InProcessService;

  const addSource = async (
    provider: string,
    options: Record<string, unknown>,
    fields: { enabled?: boolean; storeBodies?: boolean; tenantId?: string } = {},
  ) => {
    const id = randomUUID();
    const tenantId = fields.tenantId ?? 'acme';
    await database.db.query(
      `INSERT INTO inbound_sources (id, tenant_id, provider, name, secret, public_key, options, event_type_prefix, enabled, store_bodies, version)
       VALUES ($1, $2, $3, $4, $5, NULL, $6, $7, $8, $9, 1)`,
      [
        id,
        tenantId,
        provider,
        `${provider} ${id}`,
        keyring.seal(secret, sourceSecretContext(tenantId, id)),
        JSON.stringify(options),
        `inbound.${provider}`,
        fields.enabled ?? true,
        fields.storeBodies ?? false,
      ],
    );
    return id;
  };
  const logOf = async (sourceId: string) =>
    (await database.db.query(
      `SELECT outcome, status, reason, size, event_ids, body, tenant_id FROM inbound_log WHERE source_id = $1 ORDER BY received_at, id`,
      [sourceId],
    )) as LogRow[];
  const published = () => api.produced.filter((p) => p.topic === EventsAcceptedTopic.name).map((p) => p.value as EventEnvelope);

  /** A Standard Webhooks request, signed as the specification says: base64 HMAC-SHA256 of `id.timestamp.body` under the secret's key bytes. */
  const standard = (body: string, id: string, timestamp = Math.floor(Date.now() / 1000), key = secret) => ({
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': `v1,${createHmac('sha256', Buffer.from(key.slice('whsec_'.length), 'base64'))
      .update(`${id}.${timestamp}.${body}`)
      .digest('base64')}`,
    'content-type': 'application/json',
  });
  const post = (sourceId: string, body: string, headers: Record<string, string>) => api.call('POST', `/v1/inbound/${sourceId}`, { rawBody: body, headers });

  beforeAll(async () => {
    api = await startIngest(database.url, TOKEN, new CatalogInMemory(), { HOOKLINE_MASTER_KEY: masterKey.toString('base64') });
  }, 60_000);
  afterAll(() => api?.close());

  it('accepts a verified callback once it is on Kafka, as an event of the source’s tenant, and deduplicates the provider’s retry', async () => {
    const source = await addSource('standard_webhooks', {});
    const body = JSON.stringify({ type: 'order.shipped', data: { orderId: 'o_1' } });
    const headers = standard(body, 'msg_1');
    const first = await post(source, body, headers);
    expect(first).toEqual({ status: 200, body: { received: true } });
    // The provider retries the same message (a new attempt re-signs it with a new timestamp).
    expect((await post(source, body, standard(body, 'msg_1', Math.floor(Date.now() / 1000) + 1))).status).toBe(200);
    const events = published().filter((e) => e.id === inboundEventId(source, 'msg_1'));
    expect(events).toEqual([expect.objectContaining({ tenantId: 'acme', type: 'inbound.standard_webhooks.order.shipped', data: JSON.parse(body) })]);
    const log = await logOf(source);
    expect(log.map((l) => [l.outcome, l.status, l.event_ids])).toEqual([
      ['accepted', 200, [events[0].id]],
      ['accepted', 200, [events[0].id]],
    ]);
    expect(log[0]).toMatchObject({ size: Buffer.byteLength(body), body: null, tenant_id: 'acme' });
  });

  it('refuses a tampered body, a wrong secret, a stale timestamp and a missing signature with 401, each logged with its reason and nothing published', async () => {
    const source = await addSource('standard_webhooks', {}, { storeBodies: true });
    const before = published().length;
    const body = '{"type":"order.paid"}';
    const stale = Math.floor(Date.now() / 1000) - 3600;
    const answers = [
      await post(source, '{"type":"order.refunded"}', standard(body, 'm_t')),
      await post(source, body, standard(body, 'm_w', undefined, `whsec_${randomBytes(24).toString('base64')}`)),
      await post(source, body, standard(body, 'm_s', stale)),
      await post(source, body, { 'content-type': 'application/json' }),
    ];
    expect(answers.map((a) => [a.status, (a.body as { error: string }).error])).toEqual([
      [401, 'bad_signature'],
      [401, 'bad_signature'],
      [401, 'stale_timestamp'],
      [401, 'missing_signature'],
    ]);
    expect(published().length).toBe(before);
    const log = await logOf(source);
    expect(log.map((l) => [l.outcome, l.reason])).toEqual([
      ['refused', 'bad_signature'],
      ['refused', 'bad_signature'],
      ['refused', 'stale_timestamp'],
      ['refused', 'missing_signature'],
    ]);
    // The operator opted in to bodies for this source; the log holds no secret either way.
    expect(log[0].body).toBe('{"type":"order.refunded"}');
    expect(JSON.stringify(log)).not.toContain(secret.slice(6));
  });

  it('answers 404 for an unknown source and 410 for a disabled one, both logged', async () => {
    const unknown = randomUUID();
    expect((await post(unknown, '{}', {})).status).toBe(404);
    expect(await logOf(unknown)).toEqual([expect.objectContaining({ outcome: 'refused', status: 404, reason: 'unknown_source', tenant_id: null })]);
    const disabled = await addSource('standard_webhooks', {}, { enabled: false });
    const body = '{"type":"x"}';
    expect((await post(disabled, body, standard(body, 'm_d'))).status).toBe(410);
    expect(await logOf(disabled)).toEqual([expect.objectContaining({ outcome: 'refused', status: 410, reason: 'source_disabled' })]);
    expect((await post('not-a-source', '{}', {})).status).toBe(404);
  });

  it('verifies a generic HMAC source over the raw bytes, whatever their content type', async () => {
    const source = await addSource('generic_hmac', { signatureHeader: 'X-Acme-Signature', prefix: 'sha256=', idField: 'id', typeField: 'event' });
    const body = '{"id":"evt_42","event":"Ticket.Closed","n":1}';
    const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    expect((await post(source, body, { 'x-acme-signature': signature, 'content-type': 'text/plain' })).status).toBe(200);
    expect(published().filter((e) => e.id === inboundEventId(source, 'evt_42'))).toEqual([
      expect.objectContaining({ type: 'inbound.generic_hmac.ticket.closed' }),
    ]);
    expect((await post(source, body.replace('42', '43'), { 'x-acme-signature': signature })).status).toBe(401);
  });

  it('refuses a body over 1 MiB with 413 before reading it whole', async () => {
    const source = await addSource('standard_webhooks', {});
    const res = await post(source, `{"pad":"${'x'.repeat(1024 * 1024 + 10)}"}`, { 'content-type': 'application/json' });
    expect(res.status).toBe(413);
  });

  it('keeps the inbound log 30 days: older entries are purged, newer ones kept', async () => {
    const source = randomUUID();
    const at = (days: number) => new Date(Date.now() - days * 86_400_000);
    for (const days of [31, 29]) {
      await database.db.query(`INSERT INTO inbound_log (id, source_id, received_at, outcome, status, size) VALUES ($1, $2, $3, 'refused', 404, 0)`, [
        randomUUID(),
        source,
        at(days),
      ]);
    }
    expect(await api.get(PurgeInboundLogJob).purge()).toBeGreaterThanOrEqual(1);
    expect((await logOf(source)).length).toBe(1);
  });
});
