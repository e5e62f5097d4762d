import { DeliveriesRequestedTopic, REISSUED_HEADER } from '@hookline/contracts';
import type { OutgoingMessage } from '@hookline/kafka';
import { Counter } from 'prom-client';
import type { ScheduledRetry } from '../schedule-retry/retry-schedule.repository';

/** The schedule's due rows, handed over under a lock and removed only if `issue` succeeded. */
export interface DueRetries {
  issueDue(limit: number, issue: (due: ScheduledRetry[]) => Promise<void>): Promise<number>;
}

/** Where re-issued delivery requests go; resolves once the broker has them. */
export interface DeliveryRequests {
  send(topic: typeof DeliveriesRequestedTopic, messages: OutgoingMessage<typeof DeliveriesRequestedTopic>[]): Promise<void>;
}

export interface Clock {
  now(): Date;
}

const issued = new Counter({ name: 'hookline_retries_issued_total', help: 'Due retries re-issued as delivery requests' });

/** Due retries taken at most per run. */
export const DUE_BATCH = 500;

/**
 * Re-issues due deliveries as delivery requests. A row is deleted only in the
 * transaction that saw its request acknowledged by Kafka, so a crash can
 * repeat a request but never drop one.
 */
export class IssueDueRetries {
  constructor(
    private readonly schedule: DueRetries,
    private readonly requests: DeliveryRequests,
    private readonly clock: Clock,
  ) {}

  /** Issues up to `DUE_BATCH` due retries; returns how many. */
  async execute(): Promise<number> {
    const count = await this.schedule.issueDue(DUE_BATCH, async (due) => {
      const requestedAt = this.clock.now().toISOString();
      await this.requests.send(
        DeliveriesRequestedTopic,
        due.map((d) => ({ value: { ...d.request, requestedAt }, headers: { ...d.traceHeaders, [REISSUED_HEADER]: 'true' } })),
      );
    });
    issued.inc(count);
    return count;
  }
}
