import type { ReceivedRequest } from '@hookline/testing';
import { createWebhookVerifier, verifyWebhook, type Scheme } from '@hookline/verify';
import { Webhook } from 'standardwebhooks';
import { stackForSuite } from '../harness/test-stack';

interface PublicKeyView {
  keyId: string;
  algorithm: 'ed25519' | 'rsa-sha256';
  publicKey: string;
  publicKeyPem: string;
  jwk: { kid: string; alg: string };
}
interface EndpointView {
  id: string;
  secret: string;
  signatureSchemes: Scheme[];
  signingKeys: PublicKeyView[];
}

/**
 * Per-endpoint signature schemes, end to end: what the dispatcher
 * sends verifies at a receiver holding only what the admin API gave out (the
 * secret, the published public keys), for every scheme, across key rotation.
 */
describe('signature schemes chosen per endpoint', () => {
  const { stack, receiver } = stackForSuite();
  const tenant = 'schemes';
  const base = `/v1/tenants/${tenant}/endpoints`;
  let endpoint: EndpointView;
  let path: string;

  /** Sends one event and returns the request the receiver got for it. */
  async function deliverOne(): Promise<ReceivedRequest> {
    const sent = await stack.api<{ id: string }>('ingest', 'POST', '/v1/events', { tenantId: tenant, type: 'invoice.paid', data: { n: Math.random() } });
    expect(sent.status).toBe(202);
    const [request] = await receiver.waitFor((r) => r.headers['webhook-id'] === sent.body.id, { what: 'the delivery' });
    return request;
  }

  const keysOf = async () => (await stack.api<{ data: PublicKeyView[] }>('admin-api', 'GET', `${base}/${endpoint.id}/keys`)).body.data;

  beforeAll(async () => {
    path = '/schemes/in?team=billing';
    const created = await stack.api<EndpointView>('admin-api', 'POST', base, {
      url: `${receiver.url}${path}`,
      signatureSchemes: ['v1', 'hookline-v1', 'ed25519', 'rsa-sha256'],
    });
    expect(created.status).toBe(201);
    endpoint = created.body;
  });

  it('generates a key pair for each key-pair scheme and publishes only the public half, with its key id', async () => {
    expect(endpoint.signatureSchemes).toEqual(['v1', 'hookline-v1', 'ed25519', 'rsa-sha256']);
    expect(endpoint.signingKeys.map((k) => k.algorithm).sort()).toEqual(['ed25519', 'rsa-sha256']);
    const listed = await keysOf();
    expect(listed).toEqual(endpoint.signingKeys);
    for (const key of listed) {
      expect(key.jwk.kid).toBe(key.keyId);
      expect(Object.keys(key.jwk)).not.toContain('d');
    }
    expect(listed.find((k) => k.algorithm === 'ed25519')!.publicKey).toMatch(/^whpk_/);
    expect(JSON.stringify(listed)).not.toMatch(/PRIVATE KEY|whsk_/);
  });

  it('signs each delivery with every chosen scheme; each verifies on its own with what the API published', async () => {
    const request = await deliverOne();
    const keys = await keysOf();
    const trust = { secrets: [endpoint.secret], publicKeys: keys.map((k) => ({ key: k.publicKey, keyId: k.keyId })) };
    for (const scheme of endpoint.signatureSchemes) {
      await expect(verifyWebhook({ ...trust, schemes: [scheme], body: request.body, headers: request.headers, path: request.path })).resolves.toMatchObject({
        scheme,
      });
    }
    // The public keys also work in their PEM form, and v1 verifies with any Standard Webhooks library.
    const pem = { publicKeys: keys.map((k) => k.publicKeyPem) };
    await expect(verifyWebhook({ ...pem, schemes: ['ed25519'], body: request.body, headers: request.headers })).resolves.toMatchObject({ scheme: 'ed25519' });
    await expect(verifyWebhook({ ...pem, schemes: ['rsa-sha256'], body: request.body, headers: request.headers })).resolves.toMatchObject({
      keyId: keys.find((k) => k.algorithm === 'rsa-sha256')!.keyId,
    });
    expect(new Webhook(endpoint.secret).verify(request.body, request.headers)).toMatchObject({ type: 'invoice.paid' });
    // The hookline-v1 signature is bound to the path it was sent to.
    await expect(
      verifyWebhook({ ...trust, schemes: ['hookline-v1'], body: request.body, headers: request.headers, path: '/schemes/in?team=other' }),
    ).rejects.toMatchObject({ code: 'bad_signature' });
  });

  it('gives every attempt its own nonce, so a replay of a captured request is refused', async () => {
    const verifier = createWebhookVerifier({ secrets: [endpoint.secret], schemes: ['hookline-v1'] });
    const [first, second] = [await deliverOne(), await deliverOne()];
    expect(first.headers['x-hookline-nonce']).not.toBe(second.headers['x-hookline-nonce']);
    await verifier.verify({ body: first.body, headers: first.headers, path: first.path });
    await verifier.verify({ body: second.body, headers: second.headers, path: second.path });
    await expect(verifier.verify({ body: first.body, headers: first.headers, path: first.path })).rejects.toMatchObject({ code: 'replayed_nonce' });
  });

  it('rotates a key pair by add-then-delete: both sign in between, only the new one after', async () => {
    const [oldKey] = (await keysOf()).filter((k) => k.algorithm === 'ed25519');
    const added = await stack.api<PublicKeyView>('admin-api', 'POST', `${base}/${endpoint.id}/keys`, { algorithm: 'ed25519' });
    expect(added.status).toBe(201);
    const newKey = added.body;
    const only = (key: PublicKeyView, request: ReceivedRequest) =>
      verifyWebhook({ publicKeys: [key.publicKey], schemes: ['ed25519'], body: request.body, headers: request.headers });

    const during = await deliverOne();
    expect(during.headers['webhook-signature'].split(' ').filter((s) => s.startsWith('v1a,'))).toHaveLength(2);
    await expect(only(oldKey, during)).resolves.toMatchObject({ scheme: 'ed25519' });
    await expect(only(newKey, during)).resolves.toMatchObject({ scheme: 'ed25519' });

    expect((await stack.api('admin-api', 'DELETE', `${base}/${endpoint.id}/keys/${oldKey.keyId}`)).status).toBe(204);
    const after = await deliverOne();
    await expect(only(newKey, after)).resolves.toMatchObject({ scheme: 'ed25519' });
    await expect(only(oldKey, after)).rejects.toMatchObject({ code: 'bad_signature' });
  });

  it('keeps the last key of a scheme in use (409), caps keys per algorithm (422) and names bad fields (400)', async () => {
    const [lastRsa] = (await keysOf()).filter((k) => k.algorithm === 'rsa-sha256');
    const refused = await stack.api<{ error: string }>('admin-api', 'DELETE', `${base}/${endpoint.id}/keys/${lastRsa.keyId}`);
    expect(refused).toMatchObject({ status: 409, body: { error: 'key_in_use' } });
    expect((await stack.api('admin-api', 'DELETE', `${base}/${endpoint.id}/keys/no-such-key`)).status).toBe(404);

    for (let i = (await keysOf()).filter((k) => k.algorithm === 'ed25519').length; i < 4; i++) {
      expect((await stack.api('admin-api', 'POST', `${base}/${endpoint.id}/keys`, { algorithm: 'ed25519' })).status).toBe(201);
    }
    expect(await stack.api('admin-api', 'POST', `${base}/${endpoint.id}/keys`, { algorithm: 'ed25519' })).toMatchObject({
      status: 422,
      body: { error: 'too_many_keys' },
    });

    const badScheme = await stack.api<{ issues: { field: string }[] }>('admin-api', 'POST', base, {
      url: `${receiver.url}/x`,
      signatureSchemes: ['v1', 'md5'],
    });
    expect(badScheme.status).toBe(400);
    expect(badScheme.body.issues.map((i) => i.field)).toEqual(['signatureSchemes.1']);
    const twice = await stack.api<{ issues: { field: string }[] }>('admin-api', 'PATCH', `${base}/${endpoint.id}`, { signatureSchemes: ['v1', 'v1'] });
    expect(twice).toMatchObject({ status: 400, body: { issues: [{ field: 'signatureSchemes' }] } });
    expect((await stack.api('admin-api', 'PATCH', `${base}/${endpoint.id}`, { signatureSchemes: [] })).status).toBe(400);
    const modulus = await stack.api<{ issues: { field: string }[] }>('admin-api', 'POST', `${base}/${endpoint.id}/keys`, {
      algorithm: 'ed25519',
      modulusLength: 2048,
    });
    expect(modulus).toMatchObject({ status: 400, body: { issues: [{ field: 'modulusLength' }] } });
  });

  it('changes schemes with PATCH: a hookline-v1-only endpoint sends no Standard Webhooks signature', async () => {
    const patched = await stack.api<EndpointView>('admin-api', 'PATCH', `${base}/${endpoint.id}`, { signatureSchemes: ['hookline-v1'] });
    expect(patched.body.signatureSchemes).toEqual(['hookline-v1']);
    const request = await deliverOne();
    expect(request.headers['webhook-signature']).toBeUndefined();
    expect(request.headers['x-hookline-rsa-signature']).toBeUndefined();
    await expect(verifyWebhook({ secrets: [endpoint.secret], body: request.body, headers: request.headers, path: request.path })).resolves.toMatchObject({
      scheme: 'hookline-v1',
    });
    // With the scheme gone, its last key may go too.
    const [rsa] = (await keysOf()).filter((k) => k.algorithm === 'rsa-sha256');
    expect((await stack.api('admin-api', 'DELETE', `${base}/${endpoint.id}/keys/${rsa.keyId}`)).status).toBe(204);
  });
});
