import { Injectable } from '@nestjs/common';
import { DeliveriesRequestedTopic } from '@hookline/contracts';
import type { Received } from '@hookline/kafka';
import { ConsumeEach } from '@hookline/service-kit';
import type { DispatcherConfig } from '../dispatcher.config';
import { DispatchRequest } from './dispatch-request.usecase';

@Injectable()
export class DeliveryRequestsConsumer {
  constructor(private readonly dispatch: DispatchRequest) {}

  /**
   * Delivery requests, many of a partition at once (an attempt takes from
   * milliseconds to the endpoint's timeout). A stop waits up to 35 s for the
   * attempts in flight: they are bounded by the 30 s maximum timeout.
   */
  @ConsumeEach({
    group: 'dispatcher',
    topics: [DeliveriesRequestedTopic],
    maxInFlightPerPartition: (config: DispatcherConfig) => config.DISPATCHER_PARTITION_WINDOW,
    drainMs: 35_000,
  })
  async handle(message: Received<typeof DeliveriesRequestedTopic>): Promise<void> {
    await this.dispatch.execute(message.value, message.headers);
  }
}
