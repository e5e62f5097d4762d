import { Inject, Injectable } from '@nestjs/common';
import { EndpointsChangedTopic, type EndpointConfig, type EndpointId, type EventEnvelope, type TenantId } from '@hookline/contracts';
import type { KafkaClient, TopicNames } from '@hookline/kafka';
import { CompactedDirectory, KAFKA, LOGGER, Readiness, TOPICS } from '@hookline/service-kit';
import type { Logger } from 'pino';
import type { Subscribers } from '../fan-out/fan-out.usecase';
import { EndpointIndex } from './endpoint-index';

/** Every endpoint, indexed by tenant with its filter compiled, as carried by the compacted endpoints topic. */
@Injectable()
export class EndpointDirectory extends CompactedDirectory<typeof EndpointsChangedTopic> implements Subscribers {
  private readonly index: EndpointIndex;

  constructor(@Inject(KAFKA) kafka: KafkaClient, @Inject(TOPICS) topics: TopicNames, @Inject(LOGGER) logger: Logger, readiness: Readiness) {
    const index = new EndpointIndex(logger);
    super(
      { kafka, topics, logger, readiness },
      {
        contract: EndpointsChangedTopic,
        service: 'rules-engine',
        check: 'endpoint-directory',
        onChange: (id, endpoint) => index.apply(id as EndpointId, endpoint),
      },
    );
    this.index = index;
  }

  subscribersOf(event: EventEnvelope): EndpointConfig[] {
    return this.index.subscribersOf(event);
  }

  endpoint(tenantId: TenantId, id: EndpointId): EndpointConfig | undefined {
    return this.index.endpoint(tenantId, id);
  }
}
