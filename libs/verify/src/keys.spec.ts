import { generateKeyPairSync } from 'node:crypto';
import { keyIdOf, loadPublicKey, loadSecret } from './keys';

describe('key loading', () => {
  it('refuses a whpk_ key of the wrong length', () => {
    expect(() => keyIdOf(`whpk_${Buffer.alloc(33).toString('base64')}`)).toThrow('32-byte');
  });

  it('loads a whpk_ key as the same Ed25519 key as its PEM form', () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url');
    const fromWhpk = loadPublicKey(`whpk_${raw.toString('base64')}`);
    expect(fromWhpk.type).toBe('ed25519');
    expect(fromWhpk.keyId()).toBe(keyIdOf(publicKey.export({ format: 'pem', type: 'spki' }).toString()));
  });

  it('decodes a whsec_ secret as the base64 after the prefix, and refuses an empty one', () => {
    expect(
      loadSecret(`whsec_${Buffer.from('key bytes').toString('base64')}`)
        .export()
        .toString(),
    ).toBe('key bytes');
    expect(() => loadSecret('whsec_')).toThrow('empty');
  });
});
