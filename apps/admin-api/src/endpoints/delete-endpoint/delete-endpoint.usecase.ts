import type { EndpointId, TenantId } from '@hookline/contracts';
import { notFound } from '@hookline/service-kit';
import type { Clock, EndpointPublication, EndpointStore } from '../endpoint.ports';

/**
 * Soft-deletes an endpoint and drops its key material, so nothing signs for
 * it again; the topic gets a tombstone, and its in-flight deliveries end as
 * `endpoint_missing`.
 */
export class DeleteEndpoint {
  constructor(
    private readonly endpoints: Pick<EndpointStore, 'change'>,
    private readonly publication: EndpointPublication,
    private readonly clock: Clock,
  ) {}

  async execute(tenantId: TenantId, id: EndpointId): Promise<void> {
    const deleted = await this.endpoints.change(tenantId, id, (endpoint) => {
      Object.assign(endpoint, { deletedAt: this.clock.now(), secrets: [], signingKeys: [] });
    });
    if (!deleted) throw notFound(`endpoint ${id}`);
    await this.publication.executeOrDefer(id);
  }
}
