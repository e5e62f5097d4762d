import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { DeliveriesRequestedTopic } from '@hookline/contracts';
import type { Received } from '@hookline/kafka';
import { ConsumeEach, LOGGER } from '@hookline/service-kit';
import type { Logger } from 'pino';
import type { DispatcherConfig } from '../dispatcher.config';
import { DispatchRequest } from './dispatch-request.usecase';

/** The longest an endpoint may take to answer (endpoint timeouts are 1–30 s). */
const MAX_ATTEMPT_MS = 30_000;

@Injectable()
export class DeliveryRequestsConsumer implements BeforeApplicationShutdown {
  constructor(
    private readonly dispatch: DispatchRequest,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Delivery requests, many of a partition at once (an attempt takes from
   * milliseconds to the endpoint's timeout). At stop, requests still waiting
   * for their endpoint are handed back at once (below), so the drain waits
   * only for the attempts in flight: at most the 30 s maximum timeout, plus a
   * moment to put their outcomes on Kafka, within the 40 s a supervisor gives.
   */
  @ConsumeEach({
    group: 'dispatcher',
    topics: [DeliveriesRequestedTopic],
    maxInFlightPerPartition: (config: DispatcherConfig) => config.DISPATCHER_PARTITION_WINDOW,
    drainMs: MAX_ATTEMPT_MS + 2_000,
  })
  async handle(message: Received<typeof DeliveriesRequestedTopic>): Promise<void> {
    await this.dispatch.execute(message.value, message.headers);
  }

  /**
   * Runs before service-kit stops the consumers (this module's hooks come
   * first): waiting requests fail at once and stay uncommitted, so the
   * partition's next owner redoes them.
   */
  beforeApplicationShutdown(): void {
    const abandoned = this.dispatch.abandonWaiting();
    if (abandoned > 0)
      this.logger.info(
        { abandoned },
        'stopping: handed back delivery requests still waiting for their endpoint; the next owner of their partitions redoes them',
      );
  }
}
