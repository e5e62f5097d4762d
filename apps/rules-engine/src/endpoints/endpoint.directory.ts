import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { EndpointsChangedTopic, type EndpointConfig, type EndpointId, type EventEnvelope, type TenantId } from '@hookline/contracts';
import type { CompactedView, KafkaClient, TopicNames } from '@hookline/kafka';
import { KAFKA, LOGGER, openCompactedView, Readiness, TOPICS } from '@hookline/service-kit';
import type { Logger } from 'pino';
import type { Subscribers } from '../fan-out/fan-out.usecase';
import { EndpointIndex } from './endpoint-index';

/** Every endpoint, indexed by tenant with its filter compiled, as carried by the compacted endpoints topic. */
@Injectable()
export class EndpointDirectory implements Subscribers, OnModuleInit, OnApplicationShutdown {
  private readonly index: EndpointIndex;
  private readonly view: CompactedView<typeof EndpointsChangedTopic>;

  constructor(@Inject(KAFKA) kafka: KafkaClient, @Inject(TOPICS) topics: TopicNames, @Inject(LOGGER) logger: Logger, readiness: Readiness) {
    this.index = new EndpointIndex(logger);
    this.view = openCompactedView(kafka, topics, EndpointsChangedTopic, logger, 'rules-engine', (id, endpoint) => this.index.apply(id as EndpointId, endpoint));
    readiness.add('endpoint-directory', () => this.view.syncToLatest(2_000));
  }

  async onModuleInit(): Promise<void> {
    await this.view.start();
  }

  /** After the consumers stopped (they stop before shutdown), so no batch routes on a closed view. */
  async onApplicationShutdown(): Promise<void> {
    await this.view.stop();
  }

  syncToLatest(): Promise<void> {
    return this.view.syncToLatest();
  }

  subscribersOf(event: EventEnvelope): EndpointConfig[] {
    return this.index.subscribersOf(event);
  }

  endpoint(tenantId: TenantId, id: EndpointId): EndpointConfig | undefined {
    return this.index.endpoint(tenantId, id);
  }
}
