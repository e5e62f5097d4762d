import type { EndpointId, TenantId } from '@hookline/contracts';
import { notFound, unprocessable } from '@hookline/service-kit';
import type { StoredSigningKey } from '../../endpoints/endpoint.entity';
import type { EndpointPublication, EndpointStore, SecretSealing } from '../../endpoints/endpoint.ports';
import { newSigningKey } from '../new-signing-key';
import { MAX_KEYS_PER_ALGORITHM, type CreateSigningKey } from '../signing-key.dto';

/**
 * Adds a key pair to an endpoint; it signs from the next attempt on, beside
 * the endpoint's other keys of its algorithm, so a key is rotated by adding
 * the new one, letting receivers trust it, then deleting the old one.
 */
export class AddSigningKey {
  constructor(
    private readonly endpoints: Pick<EndpointStore, 'change'>,
    private readonly publication: EndpointPublication,
    private readonly sealing: Pick<SecretSealing, 'sealPrivateKey'>,
  ) {}

  async execute(tenantId: TenantId, id: EndpointId, input: CreateSigningKey): Promise<StoredSigningKey> {
    let created: StoredSigningKey | undefined;
    const saved = await this.endpoints.change(tenantId, id, async (endpoint) => {
      if (endpoint.signingKeys.filter((k) => k.algorithm === input.algorithm).length >= MAX_KEYS_PER_ALGORITHM) {
        throw unprocessable(
          'too_many_keys',
          'algorithm',
          `an endpoint holds at most ${MAX_KEYS_PER_ALGORITHM} keys per algorithm; delete a ${input.algorithm} key first`,
        );
      }
      created = await newSigningKey(this.sealing, endpoint, input.algorithm, input.modulusLength);
      endpoint.signingKeys = [...endpoint.signingKeys, created];
    });
    if (!saved || !created) throw notFound(`endpoint ${id}`);
    await this.publication.executeOrDefer(id);
    return created;
  }
}
