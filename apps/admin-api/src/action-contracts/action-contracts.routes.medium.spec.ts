import { waitFor } from '@hookline/infra';
import { freshDatabase, type InProcessService } from '@hookline/testing';
import { verifyWebhook } from '@hookline/verify';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startAdminApi } from '../admin-api.fixtures';

interface Called {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}
type Answer = { status: number; body?: string; delayMs?: number };

/**
 * Action contracts over HTTP, in process on a real PostgreSQL, calling a real
 * backend on 127.0.0.1 (private targets allowed, as under `npm start`): who may
 * invoke (roles), what is checked (input and output schemas, naming JSON
 * pointers), the signed request the backend verifies, Idempotency-Key end to
 * end, and the audit.
 */
describe('action contract routes', () => {
  const database = freshDatabase();
  const TOKEN = `admin-token-${randomBytes(8).toString('hex')}`;
  const A = 'contracts-a';
  const called: Called[] = [];
  let answers: Answer[] = [];
  let backend: Server;
  let backendUrl: string;
  let api: InProcessService;
  let contract: { id: string; secret: string; version: number };
  let lead: string;
  let agent: string;

  const base = () => `/v1/tenants/${A}/action-contracts`;
  const fields = (overrides: Record<string, unknown> = {}) => ({
    name: 'tickets.escalate',
    url: `${backendUrl}/hookline/escalate?team=support`,
    method: 'PUT',
    inputSchema: {
      type: 'object',
      properties: { ticketId: { type: 'string', pattern: '^T-[0-9]+$' }, reason: { type: 'string', maxLength: 50 } },
      required: ['ticketId', 'reason'],
      additionalProperties: false,
    },
    outputSchema: { type: 'object', properties: { escalationId: { type: 'string' } }, required: ['escalationId'] },
    timeoutMs: 1000,
    allowedRoles: ['support-lead'],
    ...overrides,
  });
  const key = async (scopes: string[], roles: string[]) => {
    const res = await api.call<{ key: string; roles: string[] }>('POST', '/v1/api-keys', { token: TOKEN, body: { name: 'k', tenantId: A, scopes, roles } });
    expect(res.status).toBe(201);
    expect(res.body.roles).toEqual(roles);
    return res.body.key;
  };
  const invoke = (token: string, input: unknown, idempotencyKey?: string) =>
    api.call<Record<string, unknown>>('POST', `${base()}/${contract.id}/invoke`, {
      token,
      body: { input },
      ...(idempotencyKey ? { headers: { 'idempotency-key': idempotencyKey } } : {}),
    });
  const good = { ticketId: 'T-1002', reason: 'VIP customer, SSO down' };

  beforeAll(async () => {
    backend = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        called.push({
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers as Record<string, string>,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        const answer = answers.shift() ?? { status: 200, body: JSON.stringify({ escalationId: 'esc_1' }) };
        setTimeout(() => res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body ?? ''), answer.delayMs ?? 0);
      });
    });
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
    api = await startAdminApi(database.url, TOKEN, { HOOKLINE_ALLOW_PRIVATE_TARGETS: 'true' });
    const created = await api.call<typeof contract>('POST', base(), { token: TOKEN, body: fields() });
    expect(created.status).toBe(201);
    contract = created.body;
    lead = await key(['actions:invoke', 'actions:read'], ['support-lead']);
    agent = await key(['actions:invoke'], ['support-agent']);
  }, 60_000);
  afterAll(async () => {
    await api?.close();
    await new Promise((resolve) => backend?.close(resolve));
  });
  beforeEach(() => {
    called.length = 0;
    answers = [];
  });

  it('declares a contract with a signing secret shown once, and refuses a schema that does not compile, a taken name, and a URL Hookline must not call', async () => {
    expect(contract).toMatchObject({ version: 1, secret: expect.stringMatching(/^whsec_/) });
    const view = await api.call('GET', `${base()}/${contract.id}`, { token: TOKEN });
    expect(view.body).toMatchObject({ name: 'tickets.escalate', method: 'PUT', allowedRoles: ['support-lead'], signatureSchemes: ['v1'] });
    expect(JSON.stringify(view.body)).not.toContain(contract.secret);
    expect((await api.call<{ secret: string }>('GET', `${base()}/${contract.id}/secret`, { token: TOKEN })).body.secret).toBe(contract.secret);

    const bad = await api.call('POST', base(), { token: TOKEN, body: fields({ name: 'bad.schema', inputSchema: { type: 'objekt' } }) });
    expect(bad).toMatchObject({ status: 400, body: { error: 'validation_failed', issues: [{ field: 'inputSchema', rule: expect.any(String) }] } });
    expect((await api.call('POST', base(), { token: TOKEN, body: fields() })).body).toMatchObject({ error: 'name_taken' });
    const metadata = await api.call('POST', base(), { token: TOKEN, body: fields({ name: 'meta', url: 'http://169.254.169.254/latest' }) });
    expect(metadata).toMatchObject({ status: 422, body: { error: 'target_refused', issues: [{ field: 'url' }] } });
  });

  it('refuses a caller without one of the allowed roles (403), sending nothing, and audits the refusal', async () => {
    const refused = await invoke(agent, good);
    expect(refused).toMatchObject({ status: 403, body: { error: 'forbidden', allowedRoles: ['support-lead'] } });
    expect(called).toEqual([]);
    const audit = await api.call<{ data: Record<string, unknown>[] }>('GET', `${base()}/${contract.id}/invocations`, { token: lead });
    expect(audit.body.data[0]).toMatchObject({ status: 'refused', error: 'forbidden', origin: 'api', httpStatus: null });
  });

  it('refuses input breaking the input schema with 422 naming each JSON pointer, sending nothing', async () => {
    const refused = await invoke(lead, { ticketId: 'nope', extra: 1 });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ error: 'input_invalid' });
    expect(refused.body.issues).toEqual(
      expect.arrayContaining([
        { field: '/input/reason', rule: 'is required' },
        { field: '/input/extra', rule: 'is not allowed by the schema' },
        { field: '/input/ticketId', rule: expect.stringContaining('must match pattern') },
      ]),
    );
    expect(called).toEqual([]);
  });

  it('sends one signed request with the contract’s method that verifies with libs/verify, and answers with the backend’s output', async () => {
    const answer = await invoke(lead, good);
    expect(answer).toMatchObject({
      status: 200,
      body: { contractId: contract.id, status: 200, output: { escalationId: 'esc_1' }, durationMs: expect.any(Number) },
    });
    expect(called).toHaveLength(1);
    const [request] = called;
    expect(request).toMatchObject({ method: 'PUT', path: '/hookline/escalate?team=support' });
    expect(JSON.parse(request.body)).toEqual(good);
    await expect(verifyWebhook({ secrets: [contract.secret], schemes: ['v1'], body: request.body, headers: request.headers })).resolves.toMatchObject({
      scheme: 'v1',
    });
    expect(request.headers).toMatchObject({
      'webhook-id': answer.body.invocationId,
      'x-hookline-action': 'tickets.escalate',
      'idempotency-key': answer.body.invocationId,
    });
    // A request signed with another secret does not verify.
    const other = `whsec_${randomBytes(24).toString('base64')}`;
    await expect(verifyWebhook({ secrets: [other], schemes: ['v1'], body: request.body, headers: request.headers })).rejects.toThrow();
  });

  it('honours Idempotency-Key end to end: after a backend failure the retry reaches it under the same key and id; after success it is answered from the store', async () => {
    answers = [{ status: 503, body: '{"error":"down"}' }];
    const failed = await invoke(lead, good, 'escalate-T-1002');
    expect(failed).toMatchObject({ status: 502, body: { error: 'backend_failed', backendStatus: 503 } });
    const retried = await invoke(lead, good, 'escalate-T-1002');
    expect(retried.status).toBe(200);
    const again = await invoke(lead, good, 'escalate-T-1002');
    expect(again.body).toEqual(retried.body);
    expect(called.map((c) => [c.headers['idempotency-key'], c.headers['webhook-id']])).toEqual([
      ['escalate-T-1002', retried.body.invocationId],
      ['escalate-T-1002', retried.body.invocationId],
    ]);
    const audit = await api.call<{ data: Record<string, unknown>[] }>('GET', `${base()}/${contract.id}/invocations`, { token: lead });
    expect(audit.body.data.filter((i) => i.id === retried.body.invocationId)).toEqual([
      expect.objectContaining({
        status: 'succeeded',
        httpStatus: 200,
        attempts: 2,
        idempotencyKey: 'escalate-T-1002',
        inputDigest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      }),
    ]);
    expect(JSON.stringify(audit.body)).not.toContain('SSO down');
  });

  it('answers 502 output_invalid for an answer its output schema refuses, and 504 for one too slow', async () => {
    answers = [{ status: 200, body: '{"id":"esc_2"}' }];
    expect(await invoke(lead, good)).toMatchObject({
      status: 502,
      body: { error: 'output_invalid', issues: [{ field: '/output/escalationId', rule: 'is required' }] },
    });
    answers = [{ status: 200, body: '{"escalationId":"late"}', delayMs: 1500 }];
    expect(await invoke(lead, good)).toMatchObject({ status: 504, body: { error: 'backend_timeout' } });
  });

  it('lets a rule invoke a contract only when the key saving it could invoke it (403 naming the action), and checks its input expression', async () => {
    const guarded = await api.call<{ id: string }>('POST', base(), { token: TOKEN, body: fields({ name: 'refunds.issue', allowedRoles: ['billing-admin'] }) });
    const writer = async (roles: string[], scopes = ['rules:write', 'actions:invoke']) => key(scopes, roles);
    const rule = (token: string, input: string | null = '{ "ticketId": data.id, "reason": "VIP" }') =>
      api.call('POST', `/v1/tenants/${A}/rules`, {
        token,
        body: { name: 'refund VIPs', trigger: { eventTypes: ['ticket.created'] }, actions: [{ type: 'invoke', contractId: guarded.body.id, input }] },
      });
    expect(await rule(await writer(['support-lead']))).toMatchObject({
      status: 403,
      body: { error: 'forbidden', issues: [{ field: 'actions.0.contractId' }] },
    });
    expect(await rule(await writer(['billing-admin'], ['rules:write']))).toMatchObject({ status: 403 });
    const admin = await writer(['billing-admin']);
    expect((await rule(admin)).status).toBe(201);
    expect(await rule(admin, '$eval("1")')).toMatchObject({ status: 400, body: { issues: [{ field: 'actions.0.input' }] } });
    expect(
      await api.call('POST', `/v1/tenants/${A}/rules`, {
        token: admin,
        body: { name: 'x', trigger: { eventTypes: ['ticket.created'] }, actions: [{ type: 'invoke', contractId: '00000000-0000-4000-8000-000000000000' }] },
      }),
    ).toMatchObject({ status: 422, body: { error: 'unknown_contract' } });
  });

  it('lets a new version change the contract and keeps its secret; a deleted contract is gone', async () => {
    const replaced = await api.call<{ version: number }>('PUT', `${base()}/${contract.id}`, {
      token: TOKEN,
      body: fields({ allowedRoles: [], method: 'POST' }),
    });
    expect(replaced.body.version).toBe(2);
    expect((await invoke(agent, good)).status).toBe(200);
    expect(called.map((c) => c.method)).toEqual(['POST']);
    await expect(verifyWebhook({ secrets: [contract.secret], schemes: ['v1'], body: called[0].body, headers: called[0].headers })).resolves.toMatchObject({
      scheme: 'v1',
    });
    expect((await api.call('DELETE', `${base()}/${contract.id}`, { token: TOKEN })).status).toBe(204);
    expect((await invoke(lead, good)).status).toBe(404);
  });

  it('reseals a contract’s secret under a new master key at start, after which the old key is not needed', async () => {
    const oldKey = randomBytes(32).toString('base64');
    const newKey = randomBytes(32).toString('base64');
    const before = await startAdminApi(database.url, TOKEN, { HOOKLINE_ALLOW_PRIVATE_TARGETS: 'true', HOOKLINE_MASTER_KEY: oldKey });
    const created = await before.call<{ id: string; secret: string }>('POST', base(), { token: TOKEN, body: fields({ name: 'rotated', allowedRoles: [] }) });
    await before.close();
    const sealedUnder = async () =>
      ((await database.db.query(`SELECT secret FROM action_contracts WHERE id = $1`, [created.body.id])) as { secret: string }[])[0].secret.split('.')[1];
    const oldId = await sealedUnder();

    const rotated = await startAdminApi(database.url, TOKEN, {
      HOOKLINE_ALLOW_PRIVATE_TARGETS: 'true',
      HOOKLINE_MASTER_KEY: newKey,
      HOOKLINE_MASTER_KEY_PREVIOUS: oldKey,
    });
    await waitFor(async () => (await sealedUnder()) !== oldId, { timeoutMs: 10_000, description: 'the secret resealed' });
    await rotated.close();

    const after = await startAdminApi(database.url, TOKEN, { HOOKLINE_ALLOW_PRIVATE_TARGETS: 'true', HOOKLINE_MASTER_KEY: newKey });
    try {
      expect((await after.call<{ secret: string }>('GET', `${base()}/${created.body.id}/secret`, { token: TOKEN })).body.secret).toBe(created.body.secret);
      expect((await after.call('POST', `${base()}/${created.body.id}/invoke`, { token: TOKEN, body: { input: good } })).status).toBe(200);
      await expect(verifyWebhook({ secrets: [created.body.secret], schemes: ['v1'], body: called[0].body, headers: called[0].headers })).resolves.toMatchObject(
        { scheme: 'v1' },
      );
    } finally {
      await after.close();
    }
  });
});
