import type { EndpointId, TenantId } from '@hookline/contracts';
import { notFound, unprocessable } from '@hookline/service-kit';
import { addMissingSigningKeys } from '../../signing-keys/new-signing-key';
import type { UpdateEndpoint as UpdateEndpointInput } from '../endpoint.dto';
import type { EndpointEntity } from '../endpoint.entity';
import type { EndpointPublication, EndpointStore, SecretSealing, TargetCheck } from '../endpoint.ports';

/**
 * Applies a partial change to an endpoint and publishes the new version.
 * Choosing `ed25519` or `rsa-sha256` without a key of that algorithm adds one.
 */
export class UpdateEndpoint {
  constructor(
    private readonly endpoints: Pick<EndpointStore, 'change'>,
    private readonly publication: EndpointPublication,
    private readonly sealing: SecretSealing,
    private readonly checkTarget: TargetCheck,
  ) {}

  async execute(tenantId: TenantId, id: EndpointId, changes: UpdateEndpointInput): Promise<EndpointEntity> {
    if (changes.url !== undefined) {
      const target = this.checkTarget(changes.url);
      if (!target.ok) throw unprocessable('target_refused', 'url', target.reason);
    }
    const saved = await this.endpoints.change(tenantId, id, async (endpoint) => {
      Object.assign(endpoint, changes);
      await addMissingSigningKeys(this.sealing, endpoint);
    });
    if (!saved) throw notFound(`endpoint ${id}`);
    await this.publication.executeOrDefer(id);
    return saved;
  }
}
