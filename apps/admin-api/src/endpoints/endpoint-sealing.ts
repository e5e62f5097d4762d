import { Inject, Injectable } from '@nestjs/common';
import { sealingContext, type SealedPurpose } from '@hookline/contracts';
import { isSealed, type MasterKeyring } from '@hookline/encryption';
import { openKeyMaterial, type KeyMaterial, type SealedKeys } from '@hookline/signing';
import type { Owner, SecretSealing } from './endpoint.ports';

export const MASTER_KEYRING = Symbol('MASTER_KEYRING');

/**
 * Endpoint secrets, private keys and chat URLs at rest: sealed under the master key with
 * tenant, endpoint and purpose bound as associated data (`sealingContext`).
 * The only place admin-api turns them into plaintext or back.
 */
@Injectable()
export class EndpointSealing implements SecretSealing {
  constructor(@Inject(MASTER_KEYRING) private readonly keyring: MasterKeyring) {}

  sealSecret(owner: Owner, secret: string): string {
    return this.keyring.seal(secret, sealingContext('endpoint-secret', owner.tenantId, owner.id));
  }

  openSecret(owner: Owner, sealed: string): string {
    return this.keyring.open(sealed, sealingContext('endpoint-secret', owner.tenantId, owner.id));
  }

  /** Every secret and private key of the endpoint, opened to sign with (preview, test send); throws when one does not open. */
  openKeyMaterial(endpoint: SealedKeys): KeyMaterial {
    return openKeyMaterial(endpoint, this.keyring);
  }

  /** A chat endpoint's URL (it holds the tool's token). */
  sealChatUrl(owner: Owner, url: string): string {
    return this.keyring.seal(url, sealingContext('chat-url', owner.tenantId, owner.id));
  }

  sealPrivateKey(owner: Owner, privateKey: string): string {
    return this.keyring.seal(privateKey, sealingContext('signing-key', owner.tenantId, owner.id));
  }

  /** How values sealed under the current master key begin; anything else needs resealing. */
  get currentPrefix(): string {
    return this.keyring.currentPrefix;
  }

  /**
   * A stored value sealed under the current master key: unchanged if it
   * already is, else opened (with a previous key, or taken as plaintext from
   * before sealing existed) and sealed again. Throws if it does not open.
   */
  reseal(purpose: SealedPurpose, owner: Owner, stored: string): string {
    if (!this.keyring.needsResealing(stored)) return stored;
    const context = sealingContext(purpose, owner.tenantId, owner.id);
    return this.keyring.seal(isSealed(stored) ? this.keyring.open(stored, context) : stored, context);
  }
}
