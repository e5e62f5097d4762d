import type { EndpointId, TenantId } from '@hookline/contracts';
import { notFound } from '@hookline/service-kit';
import type { Clock, EndpointStore } from '../../endpoints/endpoint.ports';
import type { EndpointStatsReader, LastError, WindowFigures } from '../endpoint-stats.ports';

const HOUR_MS = 60 * 60 * 1000;

export interface EndpointStats {
  endpointId: EndpointId;
  tenantId: TenantId;
  at: Date;
  lastHour: WindowFigures;
  lastDay: WindowFigures;
  lastError: LastError | null;
  consecutiveFailures: number;
}

/** How a live endpoint of the tenant is doing now; 404 for a deleted one or another tenant's. */
export class GetEndpointStats {
  constructor(
    private readonly endpoints: Pick<EndpointStore, 'findLive'>,
    private readonly stats: EndpointStatsReader,
    private readonly clock: Clock,
  ) {}

  async execute(tenantId: TenantId, id: EndpointId): Promise<EndpointStats> {
    if (!(await this.endpoints.findLive(tenantId, id))) throw notFound(`endpoint ${id}`);
    const at = this.clock.now();
    const [[lastHour, lastDay], lastError, consecutiveFailures] = await Promise.all([
      this.stats.windows(id, [new Date(at.getTime() - HOUR_MS), new Date(at.getTime() - 24 * HOUR_MS)]),
      this.stats.lastError(id),
      this.stats.consecutiveFailures(id),
    ]);
    return { endpointId: id, tenantId, at, lastHour, lastDay, lastError, consecutiveFailures };
  }
}
