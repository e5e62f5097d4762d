import type { EndpointId, SealedPurpose } from '@hookline/contracts';
import type { Logger } from 'pino';
import type { EndpointEntity } from '../endpoints/endpoint.entity';
import type { EndpointPublication, Owner } from '../endpoints/endpoint.ports';

/** Endpoint rows whose key material is not all sealed under the current master key. */
export interface ResealableEndpoints {
  /** Ids after `afterId`, in id order, of endpoints holding a value that does not begin with `sealedPrefix`. */
  needingReseal(sealedPrefix: string, afterId: string, limit: number): Promise<EndpointId[]>;
  withLocked<T>(id: EndpointId, work: (endpoint: EndpointEntity | null, save: (e: EndpointEntity) => Promise<EndpointEntity>) => Promise<T>): Promise<T>;
}

/** The master keyring as resealing needs it. */
export interface Resealing {
  /** How values sealed under the current master key begin. */
  readonly currentPrefix: string;
  /** A stored value sealed under the current key (opened with a previous key, or taken as legacy plaintext); throws if it does not open. */
  reseal(purpose: SealedPurpose, owner: Owner, stored: string): string;
}

const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * Brings every stored endpoint secret, private key and chat URL under the current
 * master key: values sealed under a key listed in HOOKLINE_MASTER_KEY_PREVIOUS
 * are re-sealed (after which that key can be dropped), and plaintext written
 * before sealing existed is sealed. Each changed endpoint gets a new version
 * and is republished, so the compacted topic carries the new ciphertexts too.
 */
export class ResealSecrets {
  constructor(
    private readonly endpoints: ResealableEndpoints,
    private readonly sealing: Resealing,
    private readonly publication: EndpointPublication,
    private readonly logger: Logger,
  ) {}

  /** Returns how many endpoints were resealed; one that does not open is logged and left as it is. */
  async execute(): Promise<number> {
    let resealed = 0;
    let after = NIL_UUID;
    for (;;) {
      const ids = await this.endpoints.needingReseal(this.sealing.currentPrefix, after, 100);
      if (ids.length === 0) break;
      for (const id of ids) {
        if (await this.resealOne(id)) resealed += 1;
        after = id;
      }
    }
    if (resealed > 0) this.logger.info({ endpoints: resealed }, 'endpoint secrets resealed under the current master key');
    return resealed;
  }

  private async resealOne(id: EndpointId): Promise<boolean> {
    try {
      await this.endpoints.withLocked(id, async (endpoint, save) => {
        if (!endpoint) return;
        endpoint.secrets = endpoint.secrets.map((s) => ({ ...s, secret: this.sealing.reseal('endpoint-secret', endpoint, s.secret) }));
        endpoint.signingKeys = endpoint.signingKeys.map((k) => ({ ...k, privateKey: this.sealing.reseal('signing-key', endpoint, k.privateKey) }));
        if (endpoint.chat) endpoint.chat = { ...endpoint.chat, url: this.sealing.reseal('chat-url', endpoint, endpoint.chat.url) };
        endpoint.version += 1;
        await save(endpoint);
      });
    } catch (err) {
      this.logger.error({ err, endpointId: id }, 'an endpoint secret does not open with HOOKLINE_MASTER_KEY or HOOKLINE_MASTER_KEY_PREVIOUS; left as it is');
      return false;
    }
    await this.publication.executeOrDefer(id);
    return true;
  }
}
