import { Inject, Injectable } from '@nestjs/common';
import type { EndpointId } from '@hookline/contracts';
import type { DataSource, EntityManager } from '@hookline/database';
import { DATA_SOURCE } from '@hookline/service-kit';
import type { FailureRun } from './failure-run';
import type { FailureRuns } from './track-failure-runs.usecase';

interface Row {
  endpoint_id: EndpointId;
  tenant_id: string;
  failed_deliveries: string[];
  state_version: number;
  disable_requested: boolean;
}

@Injectable()
export class FailureRunsRepository implements FailureRuns {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  async underWay(endpointIds: EndpointId[]): Promise<EndpointId[]> {
    const rows: { endpoint_id: EndpointId }[] = await this.db.query(
      `SELECT endpoint_id FROM endpoint_failure_runs
        WHERE endpoint_id = ANY($1::uuid[]) AND (cardinality(failed_deliveries) > 0 OR disable_requested)`,
      [endpointIds],
    );
    return rows.map((r) => r.endpoint_id);
  }

  async update(endpointIds: EndpointId[], work: (current: Map<string, FailureRun>) => Promise<FailureRun[]>): Promise<void> {
    await this.db.transaction(async (tx: EntityManager) => {
      const rows: Row[] = await tx.query(
        `SELECT endpoint_id, tenant_id, failed_deliveries::text[] AS failed_deliveries, state_version, disable_requested
           FROM endpoint_failure_runs WHERE endpoint_id = ANY($1::uuid[]) ORDER BY endpoint_id FOR UPDATE`,
        [endpointIds],
      );
      const current = new Map(
        rows.map((r) => [
          r.endpoint_id,
          {
            endpointId: r.endpoint_id,
            tenantId: r.tenant_id,
            failedDeliveries: r.failed_deliveries,
            stateVersion: r.state_version,
            disableRequested: r.disable_requested,
          },
        ]),
      );
      const changed = await work(current);
      if (changed.length === 0) return;
      await tx.query(
        `INSERT INTO endpoint_failure_runs (endpoint_id, tenant_id, failed_deliveries, state_version, disable_requested, updated_at)
         SELECT u.endpoint_id, u.tenant_id, ARRAY(SELECT jsonb_array_elements_text(u.failed))::uuid[], u.state_version, u.disable_requested, now()
           FROM unnest($1::uuid[], $2::text[], $3::jsonb[], $4::int[], $5::boolean[]) AS u(endpoint_id, tenant_id, failed, state_version, disable_requested)
         ON CONFLICT (endpoint_id) DO UPDATE SET failed_deliveries = excluded.failed_deliveries, state_version = excluded.state_version,
           disable_requested = excluded.disable_requested, updated_at = now()`,
        [
          changed.map((r) => r.endpointId),
          changed.map((r) => r.tenantId),
          changed.map((r) => JSON.stringify(r.failedDeliveries)),
          changed.map((r) => r.stateVersion),
          changed.map((r) => r.disableRequested),
        ],
      );
    });
  }
}
