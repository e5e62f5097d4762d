import type { EndpointId, TenantId } from '@hookline/contracts';
import { notFound } from '@hookline/service-kit';
import type { Clock, EndpointStore } from '../../endpoints/endpoint.ports';
import type { EndpointStatsReader, HourFigures, LastError, WindowFigures } from '../endpoint-stats.ports';

const HOUR_MS = 60 * 60 * 1000;
/** The series' length: the hour now running and the 23 before it. */
const SERIES_HOURS = 24;

export interface EndpointStats {
  endpointId: EndpointId;
  tenantId: TenantId;
  at: Date;
  lastHour: WindowFigures;
  lastDay: WindowFigures;
  /** Attempts per clock hour (UTC), oldest first, the last one the hour now running. */
  series: HourFigures[];
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
    // Whole clock hours, so a chart's bars line up with the hours a reader sees on a clock.
    const seriesFrom = new Date((Math.floor(at.getTime() / HOUR_MS) - (SERIES_HOURS - 1)) * HOUR_MS);
    const [[lastHour, lastDay], series, lastError, consecutiveFailures] = await Promise.all([
      this.stats.windows(id, [new Date(at.getTime() - HOUR_MS), new Date(at.getTime() - 24 * HOUR_MS)]),
      this.stats.hourly(id, seriesFrom, SERIES_HOURS),
      this.stats.lastError(id),
      this.stats.consecutiveFailures(id),
    ]);
    return { endpointId: id, tenantId, at, lastHour, lastDay, series, lastError, consecutiveFailures };
  }
}
