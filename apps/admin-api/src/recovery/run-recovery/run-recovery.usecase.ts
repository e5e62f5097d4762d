import { DeliveriesRequestedTopic, type DeliveryRequest } from '@hookline/contracts';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import type { Clock } from '../../endpoints/endpoint.ports';
import { replayRequest } from '../../replay/replay-request';
import type { DeliveryRequests, ReplayableDelivery, ReplayEndpoints, ReplayTarget } from '../../replay/replay.ports';
import type { PendingPage, RecoveryJob, RecoveryLeases, RecoveryLog } from '../recovery.ports';
import { pageSizeFor, waitAfterPage } from './pace';

export type Sleep = (ms: number) => Promise<void>;

export interface RecoveryRunnerOptions {
  /** This runner instance, as written on the jobs it leases. */
  owner: string;
  leaseMs: number;
  /** Requests per second for a job to this endpoint. */
  rateFor: (endpoint: ReplayTarget) => number;
}

const resent = new Counter({ name: 'hookline_recovery_resent_total', help: 'Deliveries resent by recovery jobs', labelNames: ['result'] });

/**
 * One step of the recovery runner: one page of one job. The job is leased to
 * this runner; the page is stored on the job before it is published (so a
 * page redone after a crash republishes the same delivery ids and attempt
 * numbers), and the cursor and counters move past it only once the broker has
 * acknowledged it. Then the step waits as long as the job's pace asks.
 * A cancel, or a takeover after an expired lease, makes the next write of
 * this runner fail, and it lets go of the job.
 */
export class RunRecovery {
  constructor(
    private readonly leases: RecoveryLeases,
    private readonly log: RecoveryLog,
    private readonly endpoints: ReplayEndpoints,
    private readonly requests: DeliveryRequests,
    private readonly clock: Clock,
    private readonly sleep: Sleep,
    private readonly options: RecoveryRunnerOptions,
    private readonly logger: Logger,
  ) {}

  /** Returns whether there may be more to do at once. */
  async execute(): Promise<{ more: boolean }> {
    const { owner, leaseMs } = this.options;
    const job = await this.leases.claim(owner, leaseMs);
    if (!job) return { more: false };
    const endpoint = await this.endpoints.findLive(job.tenantId, job.endpointId);
    if (!endpoint || !endpoint.enabled) {
      const error = endpoint ? `endpoint ${job.endpointId} is disabled` : `endpoint ${job.endpointId} was deleted`;
      await this.leases.finish(job.id, owner, 'failed', error);
      this.logger.warn({ jobId: job.id, tenantId: job.tenantId, endpointId: job.endpointId, error }, 'recovery job failed');
      return { more: true };
    }
    const rate = this.options.rateFor(endpoint);
    const started = this.clock.now().getTime();

    const next = job.pendingPage ? await this.redo(job, job.pendingPage) : await this.nextPage(job, pageSizeFor(rate));
    if (next === 'finished') {
      await this.leases.finish(job.id, owner, 'done');
      this.logger.info({ jobId: job.id, tenantId: job.tenantId, endpointId: job.endpointId, done: job.done, failed: job.failed }, 'recovery job done');
      return { more: true };
    }
    if (next === 'lost') return { more: true };

    const { page, deliveries } = next;
    const events = await this.log.findEvents(
      job.tenantId,
      deliveries.map((d) => d.eventId),
    );
    const byId = new Map(deliveries.map((d) => [d.id, d]));
    const at = this.clock.now().toISOString();
    const requests: DeliveryRequest[] = [];
    for (const item of page.items) {
      const delivery = byId.get(item.deliveryId);
      const event = delivery && events.get(delivery.eventId);
      // Gone from the log since the page was read (retention): nothing to resend.
      if (delivery && event) requests.push(replayRequest(delivery, event, endpoint, { by: job.createdBy, at, jobId: job.id }, item.attempt));
    }
    await this.requests.send(
      DeliveriesRequestedTopic,
      requests.map((value) => ({ value })),
    );
    const failed = page.items.length - requests.length;
    resent.inc({ result: 'sent' }, requests.length);
    resent.inc({ result: 'failed' }, failed);
    if (!(await this.leases.advance(job.id, owner, leaseMs, { done: requests.length, failed, last: page.last }))) return { more: true };
    await this.sleep(waitAfterPage(page.items.length, rate, this.clock.now().getTime() - started));
    return { more: true };
  }

  private async nextPage(job: RecoveryJob, size: number): Promise<{ page: PendingPage; deliveries: ReplayableDelivery[] } | 'finished' | 'lost'> {
    const deliveries = await this.log.page(job, job.cursor, size);
    if (deliveries.length === 0) return 'finished';
    const last = deliveries[deliveries.length - 1];
    const page: PendingPage = {
      items: deliveries.map((d) => ({ deliveryId: d.id, attempt: d.attemptCount + 1 })),
      last: { createdAt: last.createdAt.toISOString(), id: last.id },
    };
    if (!(await this.leases.holdPage(job.id, this.options.owner, this.options.leaseMs, page))) return 'lost';
    return { page, deliveries };
  }

  private async redo(job: RecoveryJob, page: PendingPage): Promise<{ page: PendingPage; deliveries: ReplayableDelivery[] }> {
    this.logger.info({ jobId: job.id, deliveries: page.items.length }, 'recovery job resumes: the page in progress is sent again with the same ids');
    return {
      page,
      deliveries: await this.log.deliveries(
        job.tenantId,
        page.items.map((i) => i.deliveryId),
      ),
    };
  }
}
