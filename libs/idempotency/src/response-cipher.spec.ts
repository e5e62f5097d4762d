import { randomBytes } from 'node:crypto';
import { aes256GcmCipher } from './response-cipher';

describe(aes256GcmCipher.name, () => {
  const cipher = aes256GcmCipher(randomBytes(32));

  it('opens what it sealed, and the sealed text does not contain the plaintext', () => {
    const sealed = cipher.seal('{"secret":"whsec_abc"}', 'scope\nkey');
    expect(sealed).not.toContain('whsec_abc');
    expect(cipher.open(sealed, 'scope\nkey')).toBe('{"secret":"whsec_abc"}');
  });

  it('refuses a body moved to another key (associated data)', () => {
    const sealed = cipher.seal('{}', 'scope\nkey-a');
    expect(() => cipher.open(sealed, 'scope\nkey-b')).toThrow();
  });

  it('refuses a tampered body', () => {
    const sealed = cipher.seal('{"a":1}', 'c');
    // The second-to-last base64url character carries only ciphertext bits, never padding.
    const flipped = sealed.at(-2) === 'A' ? 'B' : 'A';
    const tampered = `${sealed.slice(0, -2)}${flipped}${sealed.slice(-1)}`;
    expect(() => cipher.open(tampered, 'c')).toThrow();
  });

  it('refuses a key of the wrong length', () => {
    expect(() => aes256GcmCipher(randomBytes(16))).toThrow(/32 bytes/);
  });
});
