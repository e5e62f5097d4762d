import type { EndpointId } from '@hookline/contracts';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { LOGGER } from '@hookline/service-kit';
import type { Logger } from 'pino';
import { EndpointSealing } from '../endpoints/endpoint-sealing';
import { EndpointRepository } from '../endpoints/endpoint.repository';
import { PublishEndpointChanges } from '../publish-endpoint-changes/publish-endpoint-changes.usecase';

const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * Brings every stored endpoint secret and private key under the current
 * master key, once per admin-api start: values sealed under a key listed in
 * HOOKLINE_MASTER_KEY_PREVIOUS are re-sealed (after which that key can be
 * dropped), and plaintext written before sealing existed is sealed. Each
 * changed endpoint gets a new version and is republished, so the compacted
 * topic carries the new ciphertexts too.
 */
@Injectable()
export class ResealSecrets implements OnApplicationBootstrap {
  constructor(
    private readonly endpoints: EndpointRepository,
    private readonly sealing: EndpointSealing,
    private readonly publish: PublishEndpointChanges,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    void this.execute().catch((err) => this.logger.error({ err }, 'resealing endpoint secrets failed; it runs again at the next start'));
  }

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
        endpoint.version += 1;
        await save(endpoint);
      });
    } catch (err) {
      this.logger.error({ err, endpointId: id }, 'an endpoint secret does not open with HOOKLINE_MASTER_KEY or HOOKLINE_MASTER_KEY_PREVIOUS; left as it is');
      return false;
    }
    await this.publish.executeOrDefer(id);
    return true;
  }
}
