import type { RouteDoc } from '@hookline/service-kit';
import { z } from 'zod';
import { EndpointPath } from '../endpoints/endpoint.dto';
import { EndpointStatsViewSchema } from './endpoint-stats.dto';

/** The query the stats route takes: none (any parameter is refused). */
export const StatsQuery = z.object({}).strict();

/** The OpenAPI description of an endpoint's health. */
export const EndpointStatsDocs = {
  get: {
    tag: 'Endpoints',
    summary: "An endpoint's health",
    description:
      'Attempts, success rate and latency percentiles over the last hour and day, attempts per hour over the last 24 clock hours, deliveries by status, the last error and the run of failed deliveries.',
    params: EndpointPath,
    query: StatsQuery,
    responses: { 200: { description: 'the figures, computed now', schema: EndpointStatsViewSchema } },
  },
} satisfies Record<string, RouteDoc>;
