import { EndpointsChangedTopic, sealingContext } from '@hookline/contracts';
import { MasterKeyring, parseMasterKey } from '@hookline/encryption';
import { keyIdOf, loadPrivateKey } from '@hookline/signing';
import { verifyWebhook } from '@hookline/verify';
import { waitFor } from '@hookline/infra';
import { createKafka, TopicNames } from '@hookline/kafka';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import { readTopic, stackForSuite, waitForDelivery } from '../harness/test-stack';

interface EndpointView {
  id: string;
  secret: string;
  signingKeys: { keyId: string; algorithm: string; publicKey: string }[];
}
interface StoredRow {
  id: string;
  tenant_id: string;
  secrets: { secret: string }[];
  signing_keys: { keyId: string; algorithm: string; privateKey: string }[];
}

/**
 * Secrets at rest: endpoint secrets and private keys are sealed under the
 * master key in PostgreSQL, on the endpoints topic and in stored idempotent
 * responses; a ciphertext moved to another tenant's row does not open; no log
 * line holds a secret; a master key rotation reseals everything. Each test
 * creates the endpoints it changes; the ones made in beforeAll are only read.
 */
describe('secrets at rest', () => {
  const { stack, receiver } = stackForSuite({ env: { LOG_LEVEL: 'debug' } });
  let db: Pool;
  /** Every plaintext secret and private key this suite has seen; none may appear at rest or in a log. */
  const plaintexts = new Set<string>();
  /** Endpoints whose secrets a test replaced with another endpoint's ciphertext: no master key opens them. */
  const tampered = new Set<string>();
  let acme: EndpointView;

  const endpointRows = async () => (await db.query<StoredRow>('SELECT id, tenant_id, secrets, signing_keys FROM endpoints')).rows;
  const create = async (tenant: string, body: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const res = await stack.api<EndpointView>('admin-api', 'POST', `/v1/tenants/${tenant}/endpoints`, body, { headers });
    expect(res.status).toBe(201);
    plaintexts.add(res.body.secret);
    return res.body;
  };

  /** The suite's own knowledge of an endpoint's private keys: opened from its row with the stack's master key. */
  async function learnPrivateKeys(endpoint: EndpointView): Promise<void> {
    const keyring = new MasterKeyring(parseMasterKey(stack.masterKey));
    const row = (await endpointRows()).find((r) => r.id === endpoint.id)!;
    for (const k of row.signing_keys) {
      const privateKey = keyring.open(k.privateKey, sealingContext('signing-key', row.tenant_id, row.id));
      expect(keyIdOf(loadPrivateKey(privateKey))).toBe(k.keyId);
      plaintexts.add(privateKey);
    }
    expect(row.signing_keys.map((k) => k.keyId).sort()).toEqual(endpoint.signingKeys.map((k) => k.keyId).sort());
  }

  /** Moves `donor`'s sealed secrets into `victim`'s row behind admin-api's back, as someone with database access could. */
  async function tamper(victim: EndpointView, donor: EndpointView): Promise<void> {
    await db.query(`UPDATE endpoints SET secrets = (SELECT secrets FROM endpoints WHERE id = $1), version = version + 1 WHERE id = $2`, [donor.id, victim.id]);
    tampered.add(victim.id);
  }

  beforeAll(async () => {
    db = new Pool({ connectionString: stack.databaseUrl, max: 2 });
    plaintexts.add(stack.masterKey);
    plaintexts.add(stack.token);
    acme = await create('acme', { url: `${receiver.url}/acme`, signatureSchemes: ['v1', 'hookline-v1', 'ed25519', 'rsa-sha256'] });
    const rotated = await stack.api<{ secret: string }>('admin-api', 'POST', `/v1/tenants/acme/endpoints/${acme.id}/secret/rotate`, {});
    plaintexts.add(rotated.body.secret);
    // A create with an Idempotency-Key stores its response (which holds the new secret) for replay.
    const key = { 'idempotency-key': `create-${randomBytes(4).toString('hex')}` };
    const first = await create('acme', { url: `${receiver.url}/acme-2` }, key);
    expect(await create('acme', { url: `${receiver.url}/acme-2` }, key)).toEqual(first);
    await learnPrivateKeys(acme);
    expect([...plaintexts].filter((p) => p.startsWith('whsec_'))).toHaveLength(3);
    expect(acme.signingKeys).toHaveLength(2);

    // One delivery, so the dispatcher has opened and used the material.
    const sent = await stack.api<{ id: string }>('ingest', 'POST', '/v1/events', { tenantId: 'acme', type: 'invoice.paid', data: {} });
    await receiver.waitFor((r) => r.headers['webhook-id'] === sent.body.id, { count: 2, what: 'deliveries to both acme endpoints' });
  }, 60_000);

  afterAll(async () => {
    await db?.end();
  });

  /** The ways a secret or key could show up in text: whole, its base64 body, or any line of a PEM body. */
  function forms(plaintext: string): string[] {
    if (plaintext.startsWith('whsec_') || plaintext.startsWith('whsk_')) return [plaintext.slice(plaintext.indexOf('_') + 1)];
    return plaintext.split('\n').filter((line) => line.length > 0 && !line.startsWith('-----'));
  }

  function expectNoPlaintextIn(text: string, where: string) {
    const found = [...plaintexts].flatMap(forms).filter((form) => text.includes(form));
    expect({ where, found }).toEqual({ where, found: [] });
  }

  /** Every row of every table, as text: what a logical dump of the database holds. */
  async function dumpDatabase(): Promise<string> {
    const tables = await db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    const parts: string[] = [];
    for (const { table_name } of tables.rows) {
      const rows = await db.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${table_name}" t`);
      parts.push(...rows.rows.map((r) => `${table_name}: ${r.row}`));
    }
    expect(parts.some((p) => p.startsWith('idempotency_keys: '))).toBe(true);
    return parts.join('\n');
  }

  /** Every message written to the compacted endpoints topic so far. */
  async function dumpEndpointsTopic(): Promise<string> {
    const admin = createKafka({ clientId: 'secrets-at-rest-test', brokers: [stack.brokers] }).admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(new TopicNames(stack.prefix).of(EndpointsChangedTopic)).finally(() => admin.disconnect());
    const written = ends.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
    return (await readTopic(stack, EndpointsChangedTopic, (values) => values.length >= written)).join('\n');
  }

  function expectNoPlaintextInLogs(): void {
    const logs = readdirSync(stack.logDir).filter((f) => f.endsWith('.log'));
    expect(logs).toHaveLength(6);
    for (const file of logs) {
      const text = readFileSync(join(stack.logDir, file), 'utf8');
      expect(text.length).toBeGreaterThan(0);
      expectNoPlaintextIn(text, file);
    }
  }

  it('keeps no plaintext secret or private key in any table or on the endpoints topic', async () => {
    const dump = await dumpDatabase();
    expect(dump).toContain('hlenc1.');
    expectNoPlaintextIn(dump, 'database');
    const topic = await dumpEndpointsTopic();
    expect(topic).toContain(acme.id);
    expectNoPlaintextIn(topic, 'endpoints topic');
  });

  it("refuses a ciphertext moved to another tenant's row: the API answers key_unavailable and nothing is sent", async () => {
    const globex = await create('globex', { url: `${receiver.url}/globex` });
    await tamper(globex, acme);
    const secret = await stack.api<{ error: string; message: string }>('admin-api', 'GET', `/v1/tenants/globex/endpoints/${globex.id}/secret`);
    expect(secret).toMatchObject({ status: 500, body: { error: 'key_unavailable' } });
    expectNoPlaintextIn(JSON.stringify(secret.body), 'error response');

    // The relay publishes the tampered row (the UPDATE bypassed admin-api); the dispatcher cannot open it and logs the attempt instead of sending.
    await waitFor(
      async () =>
        (await db.query<{ published: boolean }>('SELECT published_version = version AS published FROM endpoints WHERE id = $1', [globex.id])).rows[0].published,
      { timeoutMs: 10_000, intervalMs: 100, description: 'the tampered row on the endpoints topic' },
    );
    const sent = await stack.api<{ id: string }>('ingest', 'POST', '/v1/events', { tenantId: 'globex', type: 'invoice.paid', data: {} });
    type Attempted = { attempts: { failure: { kind: string; message: string } | null }[] };
    const delivery = await waitForDelivery<Attempted>(stack, 'globex', sent.body.id, (d) => d.attempts.length > 0, 'the first attempt to globex');
    const failure = delivery.attempts[0].failure;
    expect(failure).toMatchObject({ kind: 'key_unavailable' });
    expect(receiver.requests.filter((r) => r.path === '/globex')).toEqual([]);
  });

  it('reseals plaintext from older versions and everything under a rotated-out master key, then drops nothing', async () => {
    const keyed = await create('initech', { url: `${receiver.url}/initech`, signatureSchemes: ['v1', 'ed25519', 'rsa-sha256'] });
    await learnPrivateKeys(keyed);
    const legacyEndpoint = await create('initech', { url: `${receiver.url}/initech-legacy` });
    // A ciphertext that opens under no key, to show the reseal leaves such a row as it is.
    const unopenable = await create('hooli', { url: `${receiver.url}/hooli` });
    await tamper(unopenable, keyed);

    // A row as a version before sealing wrote it: the secret in plaintext.
    const legacy = `whsec_${randomBytes(32).toString('base64')}`;
    plaintexts.add(legacy);
    await stack.stopService('admin-api');
    await db.query(`UPDATE endpoints SET secrets = $1::jsonb WHERE id = $2`, [
      JSON.stringify([{ secret: legacy, createdAt: new Date().toISOString(), expiresAt: null }]),
      legacyEndpoint.id,
    ]);

    // Rotate the master key on admin-api and dispatcher; the old one stays readable as "previous".
    const newKey = randomBytes(32).toString('base64');
    const rotation = { HOOKLINE_MASTER_KEY: newKey, HOOKLINE_MASTER_KEY_PREVIOUS: stack.masterKey };
    plaintexts.add(newKey);
    await stack.stopService('dispatcher');
    await stack.startService('admin-api', rotation);
    await stack.startService('dispatcher', rotation);

    const prefix = new MasterKeyring(parseMasterKey(newKey)).currentPrefix;
    const sealedUnderNewKey = (row: StoredRow) =>
      [...row.secrets.map((s) => s.secret), ...row.signing_keys.map((k) => k.privateKey)].every((v) => v.startsWith(prefix));
    await waitFor(async () => (await endpointRows()).filter((r) => !tampered.has(r.id)).every(sealedUnderNewKey), {
      timeoutMs: 20_000,
      intervalMs: 200,
      description: 'every row resealed under the new key',
    });
    const rows = await endpointRows();
    expect(rows.map((r) => ({ id: r.id, resealed: sealedUnderNewKey(r) }))).toEqual(rows.map((r) => ({ id: r.id, resealed: !tampered.has(r.id) })));
    expect(rows.map((r) => r.id)).toEqual(expect.arrayContaining([keyed.id, legacyEndpoint.id, unopenable.id]));
    expect(readFileSync(stack.logFile('admin-api'), 'utf8')).toContain('endpoint secrets resealed under the current master key');

    // Nothing was lost: the legacy secret is the one that signs, and the rotated key material still verifies.
    expect((await stack.api<{ secrets: string[] }>('admin-api', 'GET', `/v1/tenants/initech/endpoints/${legacyEndpoint.id}/secret`)).body.secrets).toEqual([
      legacy,
    ]);
    const sent = await stack.api<{ id: string }>('ingest', 'POST', '/v1/events', { tenantId: 'initech', type: 'invoice.paid', data: { after: 'rotation' } });
    const afterRotation = await receiver.waitFor((r) => r.headers['webhook-id'] === sent.body.id, { count: 2, what: 'deliveries after the rotation' });
    const [toKeyed, toLegacy] = ['/initech', '/initech-legacy'].map((path) => afterRotation.find((r) => r.path === path)!);
    await expect(verifyWebhook({ secrets: [legacy], schemes: ['v1'], body: toLegacy.body, headers: toLegacy.headers })).resolves.toMatchObject({
      scheme: 'v1',
    });
    await expect(verifyWebhook({ secrets: [keyed.secret], schemes: ['v1'], body: toKeyed.body, headers: toKeyed.headers })).resolves.toMatchObject({
      scheme: 'v1',
    });
    const publicKeys = keyed.signingKeys.map((k) => k.publicKey);
    for (const scheme of ['ed25519', 'rsa-sha256'] as const) {
      await expect(verifyWebhook({ publicKeys, schemes: [scheme], body: toKeyed.body, headers: toKeyed.headers })).resolves.toMatchObject({ scheme });
    }

    expectNoPlaintextIn(await dumpDatabase(), 'database after the rotation');
    expectNoPlaintextInLogs();
  }, 120_000);

  it('writes no secret, private key, master key or admin token to any service log (at debug level)', () => {
    expectNoPlaintextInLogs();
  });
});
