import type { TenantId } from '@hookline/contracts';
import { decodeCursor, toPage } from '../../http/cursor';
import type { EndpointEntity } from '../endpoint.entity';
import type { EndpointStore } from '../endpoint.ports';

/** A page of the tenant's live endpoints, oldest first, and the cursor of the next page (null on the last). */
export class ListEndpoints {
  constructor(private readonly endpoints: Pick<EndpointStore, 'list'>) {}

  async execute(tenantId: TenantId, page: { limit: number; cursor?: string }): Promise<{ page: EndpointEntity[]; nextCursor: string | null }> {
    return toPage(await this.endpoints.list(tenantId, page.limit + 1, decodeCursor(page.cursor)), page.limit);
  }
}
