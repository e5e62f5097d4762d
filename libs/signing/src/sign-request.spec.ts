import { verifyWebhook, type PublicKeyConfig } from '@hookline/verify';
import { Webhook } from 'standardwebhooks';
import { generateEd25519KeyPair } from './ed25519';
import { requestPath } from './hookline-v1';
import { generateRsaKeyPair, type RsaKeyPair } from './rsa-sha256';
import { signRequest, type SchemeConfig } from './sign-request';
import { generateSecret } from './standard-webhooks';

describe(signRequest.name, () => {
  const now = new Date();
  const timestamp = Math.floor(now.getTime() / 1000);
  const body = JSON.stringify({ id: 'evt_1', type: 'invoice.paid', data: { amount: 10 } });
  const url = 'https://receiver.example/hooks/hookline?tenant=acme';
  const secrets = [generateSecret(), generateSecret()];
  const ed = [generateEd25519KeyPair(), generateEd25519KeyPair()];
  let rsa: RsaKeyPair[];
  beforeAll(() => {
    rsa = [generateRsaKeyPair({ modulusLength: 2048 }), generateRsaKeyPair({ modulusLength: 2048 })];
  });

  const sign = (schemes: SchemeConfig[]) => signRequest({ schemes, id: 'evt_1', timestamp, body, path: requestPath(url) });

  it('sends the Standard Webhooks headers and nothing else for v1', () => {
    const headers = sign([{ scheme: 'v1', secrets }]);
    expect(Object.keys(headers).sort()).toEqual(['webhook-id', 'webhook-signature', 'webhook-timestamp']);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
  });

  it('puts v1 and v1a entries side by side in webhook-signature, v1 first', () => {
    const headers = sign([
      { scheme: 'ed25519', privateKeys: [ed[0].privateKey] },
      { scheme: 'v1', secrets: [secrets[0]] },
    ]);
    expect(headers['webhook-signature']).toMatch(/^v1,\S+ v1a,\S+$/);
  });

  it('sends hookline-v1 headers with a fresh nonce per attempt', () => {
    const first = sign([{ scheme: 'hookline-v1', secrets }]);
    const second = sign([{ scheme: 'hookline-v1', secrets }]);
    expect(first['x-hookline-timestamp']).toBe(String(timestamp));
    expect(first['x-hookline-nonce']).not.toBe(second['x-hookline-nonce']);
    expect(first['x-hookline-signature']).toMatch(/^sha256=[0-9a-f]{64},sha256=[0-9a-f]{64}$/);
  });

  it('sends the RSA signature with its key id', () => {
    const headers = sign([{ scheme: 'rsa-sha256', keys: [rsa[0]] }]);
    expect(headers['x-hookline-key-id']).toBe(rsa[0].keyId);
    expect(Buffer.from(headers['x-hookline-rsa-signature'], 'base64')).toHaveLength(256);
  });

  it('refuses hookline-v1 without a path, no scheme, and a scheme given twice', () => {
    expect(() => signRequest({ schemes: [{ scheme: 'hookline-v1', secrets }], id: 'e', timestamp, body })).toThrow('path');
    expect(() => signRequest({ schemes: [], id: 'e', timestamp, body })).toThrow('no signature scheme');
    expect(() =>
      sign([
        { scheme: 'v1', secrets },
        { scheme: 'v1', secrets },
      ]),
    ).toThrow('twice');
  });

  it('produces v1 signatures the standardwebhooks package and @hookline/verify both accept, with either rotated secret', async () => {
    const headers = sign([{ scheme: 'v1', secrets }]);
    for (const secret of secrets) {
      expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
      await expect(verifyWebhook({ body, headers, secrets: [secret], now })).resolves.toEqual({ scheme: 'v1', id: 'evt_1', timestamp });
    }
  });

  describe('every scheme verifies with @hookline/verify, with the old or the new key alone', () => {
    const cases: { name: string; config: () => SchemeConfig; keys: (i: number) => { secrets?: string[]; publicKeys?: PublicKeyConfig[] } }[] = [
      { name: 'v1', config: () => ({ scheme: 'v1', secrets }), keys: (i) => ({ secrets: [secrets[i]] }) },
      { name: 'hookline-v1', config: () => ({ scheme: 'hookline-v1', secrets }), keys: (i) => ({ secrets: [secrets[i]] }) },
      {
        name: 'ed25519 (whpk_)',
        config: () => ({ scheme: 'ed25519', privateKeys: ed.map((k) => k.privateKey) }),
        keys: (i) => ({ publicKeys: [ed[i].publicKey] }),
      },
      {
        name: 'ed25519 (PEM)',
        config: () => ({ scheme: 'ed25519', privateKeys: ed.map((k) => k.privateKey) }),
        keys: (i) => ({ publicKeys: [ed[i].publicKeyPem] }),
      },
      { name: 'rsa-sha256', config: () => ({ scheme: 'rsa-sha256', keys: rsa }), keys: (i) => ({ publicKeys: [rsa[i].publicKey] }) },
    ];
    it.each(cases)('$name', async ({ config, keys }) => {
      for (const i of [0, 1]) {
        // A fresh request per check: hookline-v1 refuses a nonce it has seen.
        const headers = sign([config()]);
        const verified = await verifyWebhook({ body, headers, path: '/hooks/hookline?tenant=acme', now, ...keys(i) });
        expect(verified.timestamp).toBe(timestamp);
        expect(verified.scheme).toBe(config().scheme);
      }
    });
  });
});
