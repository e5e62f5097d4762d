import type { EndpointId, TenantId } from '@hookline/contracts';
import { conflict, notFound } from '@hookline/service-kit';
import type { Clock } from '../../endpoints/endpoint.ports';
import type { ReplayEndpoints } from '../../replay/replay.ports';
import type { RecoveryJob, RecoveryJobs, RecoveryLog, RecoveryStatus } from '../recovery.ports';

export interface RecoverCommand {
  tenantId: TenantId;
  endpointId: EndpointId;
  since: Date;
  /** Default: now, so that the job's set of deliveries is fixed when it is created. */
  until?: Date;
  statuses: RecoveryStatus[];
  dryRun: boolean;
  /** Who asks: the API key id. */
  by: string;
}

export type RecoverResult = { dryRun: true; count: number } | { dryRun: false; job: RecoveryJob };

/**
 * A dry run counts what a recovery would resend, without side effects; a real
 * run creates a queued recovery job that admin-api's runner works through.
 */
export class StartRecovery {
  constructor(
    private readonly endpoints: ReplayEndpoints,
    private readonly log: Pick<RecoveryLog, 'count'>,
    private readonly jobs: Pick<RecoveryJobs, 'create'>,
    private readonly clock: Clock,
    private readonly newId: () => string,
  ) {}

  async execute(command: RecoverCommand): Promise<RecoverResult> {
    const endpoint = await this.endpoints.findLive(command.tenantId, command.endpointId);
    if (!endpoint) throw notFound(`endpoint ${command.endpointId}`);
    const now = this.clock.now();
    const selection = {
      tenantId: command.tenantId,
      endpointId: command.endpointId,
      since: command.since,
      until: command.until ?? now,
      statuses: [...new Set(command.statuses)],
      asOf: now,
    };
    const count = await this.log.count(selection);
    if (command.dryRun) return { dryRun: true, count };
    if (!endpoint.enabled) throw conflict('endpoint_disabled', `endpoint ${command.endpointId} is disabled; enable it before recovering its deliveries`);
    return { dryRun: false, job: await this.jobs.create({ ...selection, id: this.newId(), total: count, createdBy: command.by }) };
  }
}
