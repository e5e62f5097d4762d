import { createPublicKey, createVerify } from 'node:crypto';
import { keyIdOf } from './keys';
import { generateRsaKeyPair, signRsaSha256, type RsaKeyPair } from './rsa-sha256';

describe(signRsaSha256.name, () => {
  let pairs: RsaKeyPair[];
  beforeAll(() => {
    pairs = [generateRsaKeyPair(), generateRsaKeyPair({ modulusLength: 2048 })];
  });
  const message = { id: 'evt_1', timestamp: 1614265330, body: '{"amount":10}' };
  const verifies = (pem: string, text: string, signature: string) =>
    createVerify('RSA-SHA256').update(text).verify(createPublicKey(pem), Buffer.from(signature, 'base64'));

  it('generates 3072-bit keys by default, with their thumbprint as key id', () => {
    expect(pairs[0].modulusLength).toBe(3072);
    expect(createPublicKey(pairs[0].publicKey).asymmetricKeyDetails?.modulusLength).toBe(3072);
    expect(pairs[0].keyId).toBe(keyIdOf(createPublicKey(pairs[0].publicKey)));
    expect(pairs[0].privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('is a base64 RSASSA-PKCS1-v1_5 SHA-256 signature over id.timestamp.body, verified by node:crypto', () => {
    const [pair] = pairs;
    const { signature, keyId } = signRsaSha256({ ...message, keys: [pair] });
    expect(keyId).toBe(pair.keyId);
    expect(Buffer.from(signature, 'base64')).toHaveLength(384);
    expect(verifies(pair.publicKey, 'evt_1.1614265330.{"amount":10}', signature)).toBe(true);
    expect(verifies(pair.publicKey, 'evt_1.1614265330.{"amount":11}', signature)).toBe(false);
  });

  it('signs with every key of a rotation, signatures and key ids in the same order', () => {
    const { signature, keyId } = signRsaSha256({ ...message, keys: pairs });
    expect(keyId.split(',')).toEqual(pairs.map((p) => p.keyId));
    signature.split(',').forEach((entry, i) => expect(verifies(pairs[i].publicKey, 'evt_1.1614265330.{"amount":10}', entry)).toBe(true));
  });

  it('refuses a key id that would break the header list', () => {
    expect(() => signRsaSha256({ ...message, keys: [{ keyId: 'a,b', privateKey: pairs[0].privateKey }] })).toThrow('key id');
  });
});
