import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { generateEd25519KeyPair } from './ed25519';
import { keyIdOf, loadPrivateKey, publicKeyForms } from './keys';
import { generateRsaKeyPairAsync } from './rsa-sha256';

describe(keyIdOf.name, () => {
  it('is the RFC 8037 thumbprint of its Ed25519 example key', () => {
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' }, format: 'jwk' });
    expect(keyIdOf(key)).toBe('kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k');
  });

  it('is the RFC 7638 thumbprint of its RSA example key', () => {
    const n =
      '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw';
    const key = createPublicKey({ key: { kty: 'RSA', n, e: 'AQAB' }, format: 'jwk' });
    expect(keyIdOf(key)).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });

  it('gives a private key the id of its public half', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    expect(keyIdOf(privateKey)).toBe(keyIdOf(publicKey));
  });
});

describe(loadPrivateKey.name, () => {
  it('reads a whsk_ seed and the 64-byte seed-and-public-key layout alike', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const { d, x } = privateKey.export({ format: 'jwk' });
    const seed = Buffer.from(d as string, 'base64url');
    const pub = Buffer.from(x as string, 'base64url');
    for (const whsk of [`whsk_${seed.toString('base64')}`, `whsk_${Buffer.concat([seed, pub]).toString('base64')}`]) {
      expect(createPublicKey(loadPrivateKey(whsk)).equals(publicKey)).toBe(true);
    }
  });

  it('refuses a whsk_ key of the wrong length', () => {
    expect(() => loadPrivateKey(`whsk_${Buffer.alloc(31).toString('base64')}`)).toThrow('32-byte');
  });
});

describe(publicKeyForms.name, () => {
  it('gives an ed25519 whpk_ key as SPKI PEM and as a JWK whose kid is the published key id', () => {
    const pair = generateEd25519KeyPair();
    const { pem, jwk } = publicKeyForms(pair.publicKey);
    expect(pem).toBe(pair.publicKeyPem);
    expect(jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid: pair.keyId, alg: 'EdDSA', use: 'sig' });
    expect(keyIdOf(createPublicKey({ key: jwk, format: 'jwk' }))).toBe(pair.keyId);
  });

  it('gives an rsa key (generated off the event loop) as a JWK with RS256', async () => {
    const pair = await generateRsaKeyPairAsync({ modulusLength: 2048 });
    const { pem, jwk } = publicKeyForms(pair.publicKey);
    expect(pem).toBe(pair.publicKey);
    expect(jwk).toMatchObject({ kty: 'RSA', e: 'AQAB', kid: pair.keyId, alg: 'RS256' });
    expect(pair.modulusLength).toBe(2048);
    expect(loadPrivateKey(pair.privateKey).asymmetricKeyDetails?.modulusLength).toBe(2048);
  });
});
