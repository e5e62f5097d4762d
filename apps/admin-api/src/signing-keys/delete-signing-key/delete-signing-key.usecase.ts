import type { EndpointId, TenantId } from '@hookline/contracts';
import { conflict, notFound } from '@hookline/service-kit';
import type { EndpointPublication, EndpointStore } from '../../endpoints/endpoint.ports';

/** Deletes a key pair; the last key of a scheme the endpoint signs with stays (409 `key_in_use`) until the scheme is removed. */
export class DeleteSigningKey {
  constructor(
    private readonly endpoints: Pick<EndpointStore, 'change'>,
    private readonly publication: EndpointPublication,
  ) {}

  async execute(tenantId: TenantId, id: EndpointId, keyId: string): Promise<void> {
    const saved = await this.endpoints.change(tenantId, id, (endpoint) => {
      const key = endpoint.signingKeys.find((k) => k.keyId === keyId);
      if (!key) throw notFound(`key ${keyId} of endpoint ${id}`);
      const rest = endpoint.signingKeys.filter((k) => k !== key);
      if (endpoint.signatureSchemes.includes(key.algorithm) && !rest.some((k) => k.algorithm === key.algorithm)) {
        throw conflict(
          'key_in_use',
          `key ${keyId} is the endpoint's last ${key.algorithm} key and the endpoint signs with ${key.algorithm}; add another key or remove ${key.algorithm} from signatureSchemes first`,
        );
      }
      endpoint.signingKeys = rest;
    });
    if (!saved) throw notFound(`endpoint ${id}`);
    await this.publication.executeOrDefer(id);
  }
}
