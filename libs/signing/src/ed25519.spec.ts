import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { generateEd25519KeyPair, signEd25519 } from './ed25519';
import { keyIdOf } from './keys';

describe(generateEd25519KeyPair.name, () => {
  it('gives the Standard Webhooks whpk_/whsk_ forms, a PEM and a key id for the same key', () => {
    const pair = generateEd25519KeyPair();
    expect(pair.publicKey).toMatch(/^whpk_[A-Za-z0-9+/]{43}=$/);
    expect(pair.privateKey).toMatch(/^whsk_[A-Za-z0-9+/]{43}=$/);
    const fromPem = createPublicKey(pair.publicKeyPem);
    expect(fromPem.asymmetricKeyType).toBe('ed25519');
    expect(Buffer.from(fromPem.export({ format: 'jwk' }).x as string, 'base64url').toString('base64')).toBe(pair.publicKey.slice(5));
    expect(pair.keyId).toBe(keyIdOf(fromPem));
  });
});

describe(signEd25519.name, () => {
  const message = { id: 'msg_p5jXN8AQM9LWM0D4loKWxJek', timestamp: 1614265330, body: '{"test": 2432232314}' };

  it('is v1a,<base64 Ed25519 signature> over id.timestamp.body, verified by node:crypto', () => {
    const pair = generateEd25519KeyPair();
    const [version, signature] = signEd25519({ ...message, privateKeys: [pair.privateKey] }).split(',');
    expect(version).toBe('v1a');
    const content = Buffer.from('msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{"test": 2432232314}');
    expect(verify(null, content, createPublicKey(pair.publicKeyPem), Buffer.from(signature, 'base64'))).toBe(true);
    expect(verify(null, Buffer.concat([content, Buffer.from(' ')]), createPublicKey(pair.publicKeyPem), Buffer.from(signature, 'base64'))).toBe(false);
  });

  it('signs with every key of a rotation, space-separated', () => {
    const [oldPair, newPair] = [generateEd25519KeyPair(), generateEd25519KeyPair()];
    const entries = signEd25519({ ...message, privateKeys: [oldPair.privateKey, newPair.privateKey] }).split(' ');
    const content = Buffer.from(`${message.id}.${message.timestamp}.${message.body}`);
    expect(entries).toHaveLength(2);
    entries.forEach((entry, i) => {
      const pem = [oldPair, newPair][i].publicKeyPem;
      expect(verify(null, content, createPublicKey(pem), Buffer.from(entry.slice(4), 'base64'))).toBe(true);
    });
  });

  it('refuses a key of another algorithm', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => signEd25519({ ...message, privateKeys: [privateKey] })).toThrow('ec key');
  });
});
