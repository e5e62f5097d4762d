import { randomBytes } from 'node:crypto';
import { DecryptionError, isSealed, MasterKeyring } from './keyring';
import { masterKeyId, parseMasterKey } from './master-key';

const context = JSON.stringify(['endpoint-secret', 'acme', 'ep-1']);

describe(MasterKeyring.name, () => {
  const key = randomBytes(32);
  const keyring = new MasterKeyring(key);

  it('opens what it sealed, and the sealed form holds neither plaintext nor key', () => {
    const sealed = keyring.seal('whsec_TOPSECRET', context);
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain('TOPSECRET');
    expect(sealed).not.toContain(key.toString('base64'));
    expect(sealed).not.toContain(key.toString('base64url'));
    expect(keyring.open(sealed, context)).toBe('whsec_TOPSECRET');
  });

  it('uses a fresh IV per value, so equal plaintexts do not look equal', () => {
    expect(keyring.seal('same', context)).not.toBe(keyring.seal('same', context));
  });

  it('refuses a value moved to another tenant or endpoint (context is associated data)', () => {
    const sealed = keyring.seal('whsec_A', context);
    expect(() => keyring.open(sealed, JSON.stringify(['endpoint-secret', 'globex', 'ep-1']))).toThrow(DecryptionError);
    expect(() => keyring.open(sealed, JSON.stringify(['endpoint-secret', 'acme', 'ep-2']))).toThrow(DecryptionError);
  });

  it('refuses any altered byte of IV, ciphertext or tag', () => {
    const sealed = keyring.seal('whsec_A', context);
    const prefix = sealed.slice(0, sealed.lastIndexOf('.') + 1);
    const raw = Buffer.from(sealed.slice(prefix.length), 'base64url');
    for (let i = 0; i < raw.length; i++) {
      const altered = Buffer.from(raw);
      altered[i] ^= 0x01;
      expect(() => keyring.open(prefix + altered.toString('base64url'), context)).toThrow(DecryptionError);
    }
  });

  it('refuses plaintext, truncated values and unknown formats with a message that holds no value', () => {
    expect(() => keyring.open('whsec_PLAIN', context)).toThrow(/not a sealed value/);
    expect(() => keyring.open(`${keyring.currentPrefix}AAAA`, context)).toThrow(/truncated/);
    try {
      keyring.open('whsec_PLAIN', context);
    } catch (error) {
      expect((error as Error).message).not.toContain('PLAIN');
    }
  });

  it('opens values sealed under a previous key after a rotation, and seals with the new one', () => {
    const old = new MasterKeyring(key);
    const sealedBefore = old.seal('whsec_OLD', context);
    const rotated = new MasterKeyring(randomBytes(32), [key]);
    expect(rotated.open(sealedBefore, context)).toBe('whsec_OLD');
    expect(rotated.needsResealing(sealedBefore)).toBe(true);
    const sealedAfter = rotated.seal('whsec_NEW', context);
    expect(rotated.needsResealing(sealedAfter)).toBe(false);
    expect(() => old.open(sealedAfter, context)).toThrow(/does not hold/);
  });

  it('refuses a key of the wrong length', () => {
    expect(() => new MasterKeyring(randomBytes(16))).toThrow(/32 bytes/);
  });
});

describe(parseMasterKey.name, () => {
  it('reads base64 and hex forms of 32 bytes', () => {
    const key = randomBytes(32);
    expect(parseMasterKey(key.toString('base64'))).toEqual(key);
    expect(parseMasterKey(key.toString('hex'))).toEqual(key);
    expect(parseMasterKey(` ${key.toString('base64url')}\n`)).toEqual(key);
  });

  it('names the rule and the decoded length, never the value', () => {
    const short = randomBytes(16).toString('base64');
    expect(() => parseMasterKey(short)).toThrow(/must be 32 bytes.*decodes to 16 bytes/);
    expect(() => parseMasterKey('not a key!')).toThrow(/must be 32 bytes/);
    try {
      parseMasterKey(short);
    } catch (error) {
      expect((error as Error).message).not.toContain(short);
    }
  });

  it('gives each key a stable id that differs between keys', () => {
    const a = randomBytes(32);
    expect(masterKeyId(a)).toBe(masterKeyId(Buffer.from(a)));
    expect(masterKeyId(a)).not.toBe(masterKeyId(randomBytes(32)));
    expect(masterKeyId(a)).toMatch(/^[A-Za-z0-9_-]{8}$/);
  });
});
