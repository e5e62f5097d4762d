import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DeliveriesRequestedTopic } from '@hookline/contracts';
import type { BatchingProducer } from '@hookline/kafka';
import { LOGGER, PRODUCER, Readiness } from '@hookline/service-kit';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import { RETRY_CONFIG } from '../retry-scheduler.tokens';
import type { RetrySchedulerConfig } from '../retry-scheduler.config';
import { RetryScheduleRepository } from '../schedule-retry/retry-schedule.repository';

const issued = new Counter({ name: 'hookline_retries_issued_total', help: 'Due retries re-issued as delivery requests' });
const BATCH = 500;

/**
 * Polls the schedule and re-issues due deliveries as delivery requests. A row
 * is deleted only in the transaction that saw its request acknowledged by
 * Kafka, so a crash can repeat a request but never drop one.
 */
@Injectable()
export class IssueDueRetries implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private running = false;
  private loop: Promise<void> | null = null;
  private lastSuccess = Date.now();

  constructor(
    private readonly schedule: RetryScheduleRepository,
    @Inject(PRODUCER) private readonly producer: BatchingProducer,
    @Inject(RETRY_CONFIG) private readonly config: RetrySchedulerConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    readiness: Readiness,
  ) {
    readiness.add('retry-poller', async () => {
      if (!this.running || Date.now() - this.lastSuccess > 30_000) throw new Error('the retry poller has not completed a poll in 30 s');
    });
  }

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** One poll: issues up to a batch of due retries and returns how many. */
  async execute(): Promise<number> {
    return this.schedule.issueDue(BATCH, async (due) => {
      await this.producer.send(
        DeliveriesRequestedTopic,
        due.map((d) => ({ value: { ...d.request, requestedAt: new Date().toISOString() }, headers: d.traceHeaders })),
      );
    });
  }

  private async run(): Promise<void> {
    while (this.running) {
      let count = 0;
      try {
        count = await this.execute();
        this.lastSuccess = Date.now();
        issued.inc(count);
      } catch (err) {
        this.logger.error({ err }, 'issuing due retries failed; will poll again');
      }
      if (count < BATCH) await new Promise((r) => setTimeout(r, this.config.RETRY_SCHEDULER_POLL_MS));
    }
  }
}
