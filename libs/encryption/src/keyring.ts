import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { MASTER_KEY_BYTES, masterKeyId } from './master-key';

const FORMAT = 'hlenc1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const SEALED = /^hlenc1\.([A-Za-z0-9_-]{8})\.([A-Za-z0-9_-]+)$/;

/** Why a sealed value did not open; the message never holds the value. */
export class DecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecryptionError';
  }
}

/**
 * Secrets at rest: AES-256-GCM under the master key, a random 96-bit IV per
 * value, and a caller-chosen context (tenant, endpoint, purpose) bound as
 * associated data. A value copied to another tenant's row, or another
 * endpoint's, fails to open: the context is part of what the tag
 * authenticates.
 *
 * Sealed form: `hlenc1.<key id>.<base64url(iv | ciphertext | tag)>`.
 * The keyring seals with the current key and opens with the current or any
 * previous one, so the master key can be rotated without downtime.
 */
export class MasterKeyring {
  private readonly current: { id: string; key: Buffer };
  private readonly byId = new Map<string, Buffer>();

  constructor(current: Buffer, previous: readonly Buffer[] = []) {
    for (const key of [current, ...previous]) {
      if (key.length !== MASTER_KEY_BYTES) throw new RangeError(`a master key must be ${MASTER_KEY_BYTES} bytes (got ${key.length})`);
      const id = masterKeyId(key);
      if (!this.byId.has(id)) this.byId.set(id, Buffer.from(key));
    }
    this.current = { id: masterKeyId(current), key: Buffer.from(current) };
  }

  /** How every value sealed under the current key begins, key id included (to find the others in a database). */
  get currentPrefix(): string {
    return `${FORMAT}.${this.current.id}.`;
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${FORMAT}.${this.current.id}.${Buffer.concat([iv, ciphertext, cipher.getAuthTag()]).toString('base64url')}`;
  }

  open(sealed: string, context: string): string {
    const match = SEALED.exec(sealed);
    if (!match) throw new DecryptionError('not a sealed value (expected hlenc1.<key id>.<data>)');
    const [, keyId, payload] = match;
    const key = this.byId.get(keyId);
    if (!key)
      throw new DecryptionError(
        `sealed under master key ${keyId}, which this process does not hold (set it in HOOKLINE_MASTER_KEY or HOOKLINE_MASTER_KEY_PREVIOUS)`,
      );
    const raw = Buffer.from(payload, 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new DecryptionError('sealed value is truncated');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new DecryptionError('sealed value does not open in this context (moved from another row, or altered)');
    }
  }

  /** Whether a value is sealed under a key other than the current one (re-seal it after a rotation). */
  needsResealing(sealed: string): boolean {
    return !sealed.startsWith(this.currentPrefix);
  }
}

export function isSealed(value: string): boolean {
  return SEALED.test(value);
}
