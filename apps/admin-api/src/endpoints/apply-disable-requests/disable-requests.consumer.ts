import { Injectable } from '@nestjs/common';
import { EndpointsDisableRequestedTopic } from '@hookline/contracts';
import type { Received } from '@hookline/kafka';
import { ApiError, ConsumeEach } from '@hookline/service-kit';
import { ChangeEndpointState } from '../change-endpoint-state/change-endpoint-state.usecase';

/**
 * The retry-scheduler's automatic disables (`410 Gone`, the failure
 * threshold), applied through the same state change as the routes: the
 * endpoint's state, its version and its `endpoint.disabled` event. Applied
 * only while the endpoint is enabled at the state version the deciding
 * attempt saw; a request about a deleted endpoint, or one re-enabled or
 * paused since, changes nothing.
 */
@Injectable()
export class DisableRequestsConsumer {
  constructor(private readonly changeState: ChangeEndpointState) {}

  @ConsumeEach({ group: 'admin-api', topics: [EndpointsDisableRequestedTopic], maxInFlightPerPartition: 1 })
  async handle(message: Received<typeof EndpointsDisableRequestedTopic>): Promise<void> {
    const request = message.value;
    try {
      await this.changeState.execute(request.tenantId, request.endpointId, {
        action: 'disable',
        cause: request.cause,
        actor: null,
        reason: request.reason,
        onlyIfEnabledSince: request.endpointVersion,
      });
    } catch (error) {
      // Deleted since: nothing left to disable.
      if (error instanceof ApiError && error.status === 404) return;
      throw error;
    }
  }
}
