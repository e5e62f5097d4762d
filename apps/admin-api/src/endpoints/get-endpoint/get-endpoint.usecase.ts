import type { EndpointId, TenantId } from '@hookline/contracts';
import { notFound } from '@hookline/service-kit';
import type { EndpointEntity } from '../endpoint.entity';
import type { EndpointStore } from '../endpoint.ports';

/** One live endpoint of the tenant; 404 for a deleted one or another tenant's. */
export class GetEndpoint {
  constructor(private readonly endpoints: Pick<EndpointStore, 'findLive'>) {}

  async execute(tenantId: TenantId, id: EndpointId): Promise<EndpointEntity> {
    const endpoint = await this.endpoints.findLive(tenantId, id);
    if (!endpoint) throw notFound(`endpoint ${id}`);
    return endpoint;
  }
}
