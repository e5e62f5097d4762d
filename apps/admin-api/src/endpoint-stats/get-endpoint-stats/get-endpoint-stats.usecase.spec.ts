import type { EndpointId, TenantId } from '@hookline/contracts';
import type { EndpointEntity } from '../../endpoints/endpoint.entity';
import type { EndpointStatsReader, WindowFigures } from '../endpoint-stats.ports';
import { GetEndpointStats } from './get-endpoint-stats.usecase';

describe(GetEndpointStats.name, () => {
  const tenantId = 'acme' as TenantId;
  const id = '5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11' as EndpointId;
  const now = new Date('2026-11-22T12:00:00.000Z');
  const figures = (total: number): WindowFigures => ({
    attempts: { total, succeeded: 0 },
    latencyMs: null,
    deliveries: { pending: 0, failing: 0, succeeded: 0, dead: 0 },
  });

  function setup(live: boolean) {
    const asked: string[] = [];
    const stats: EndpointStatsReader = {
      windows: async (endpointId, since) => {
        asked.push(`windows ${endpointId} ${since.map((d) => d.toISOString()).join(' ')}`);
        return since.map((_, i) => figures(i + 1));
      },
      hourly: async (endpointId, from, hours) => {
        asked.push(`hourly ${endpointId} ${from.toISOString()} ${hours}`);
        return [];
      },
      lastError: async () => {
        asked.push('lastError');
        return null;
      },
      consecutiveFailures: async () => {
        asked.push('consecutiveFailures');
        return 4;
      },
    };
    const endpoints = { findLive: async (t: TenantId, e: EndpointId) => (live && t === tenantId && e === id ? ({ id } as EndpointEntity) : null) };
    return { asked, useCase: new GetEndpointStats(endpoints, stats, { now: () => now }) };
  }

  it('asks for the hour and the 24 hours before now, and answers each window in its place', async () => {
    const { asked, useCase } = setup(true);
    const stats = await useCase.execute(tenantId, id);
    expect(asked).toContain(`windows ${id} 2026-11-22T11:00:00.000Z 2026-11-21T12:00:00.000Z`);
    expect(stats).toEqual({
      endpointId: id,
      tenantId,
      at: now,
      lastHour: figures(1),
      lastDay: figures(2),
      series: [],
      lastError: null,
      consecutiveFailures: 4,
    });
  });

  it('asks for the series in whole clock hours: the hour now running and the 23 before it', async () => {
    const { asked, useCase } = setup(true);
    await useCase.execute(tenantId, id);
    expect(asked).toContain(`hourly ${id} 2026-11-21T13:00:00.000Z 24`);
  });

  it('answers 404 for an endpoint that is not live in the tenant, without reading the log', async () => {
    const { asked, useCase } = setup(false);
    await expect(useCase.execute(tenantId, id)).rejects.toMatchObject({ status: 404, code: 'not_found' });
    expect(asked).toEqual([]);
  });
});
