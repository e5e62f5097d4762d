import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Seals stored response bodies. admin-api's create and rotate responses carry
 * endpoint secrets, and a database dump must hold no plaintext secret, so a
 * service that stores such responses passes a cipher. `context` (scope and key)
 * is bound as associated data: a body copied to another row does not open.
 */
export interface ResponseCipher {
  seal(plaintext: string, context: string): string;
  open(sealed: string, context: string): string;
}

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** AES-256-GCM with a random 96-bit nonce per body: `v1.<base64url(iv | tag | ciphertext)>`. */
export function aes256GcmCipher(key: Buffer): ResponseCipher {
  if (key.length !== 32) throw new RangeError(`aes256GcmCipher: key must be 32 bytes (got ${key.length})`);
  return {
    seal(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url')}`;
    },
    open(sealed, context) {
      const [version, payload] = sealed.split('.', 2);
      if (version !== VERSION || payload === undefined) throw new Error('stored idempotent response: unknown encryption format');
      const raw = Buffer.from(payload, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    },
  };
}
