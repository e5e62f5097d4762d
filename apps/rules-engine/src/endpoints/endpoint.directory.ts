import { Inject, Injectable, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { EndpointsChangedTopic, type EndpointConfig } from '@hookline/contracts';
import { CompactedView, type Kafka, type TopicNames } from '@hookline/kafka';
import { KAFKA, LOGGER, Readiness, TOPICS } from '@hookline/service-kit';
import type { Logger } from 'pino';
import { matchesEventType } from './event-type-match';

/** Every endpoint, indexed by tenant, as carried by the compacted endpoints topic. */
@Injectable()
export class EndpointDirectory implements OnModuleInit, BeforeApplicationShutdown {
  private readonly byTenant = new Map<string, Map<string, EndpointConfig>>();
  private readonly tenantOf = new Map<string, string>();
  private readonly view: CompactedView<typeof EndpointsChangedTopic>;

  constructor(@Inject(KAFKA) kafka: Kafka, @Inject(TOPICS) topics: TopicNames, @Inject(LOGGER) logger: Logger, readiness: Readiness) {
    this.view = new CompactedView(kafka, topics, EndpointsChangedTopic, logger, topics.group('rules-engine'), (id, endpoint) => this.apply(id, endpoint));
    readiness.add('endpoint-directory', () => this.view.syncToLatest(2_000));
  }

  async onModuleInit(): Promise<void> {
    await this.view.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.view.stop();
  }

  /** Waits until every endpoint change saved before now is applied. */
  syncToLatest(): Promise<void> {
    return this.view.syncToLatest();
  }

  subscribersOf(tenantId: string, eventType: string): EndpointConfig[] {
    const endpoints = this.byTenant.get(tenantId);
    if (!endpoints) return [];
    return [...endpoints.values()].filter((e) => e.enabled && matchesEventType(e.eventTypes, eventType));
  }

  private apply(id: string, endpoint: EndpointConfig | null): void {
    const previousTenant = this.tenantOf.get(id);
    if (previousTenant) this.byTenant.get(previousTenant)?.delete(id);
    this.tenantOf.delete(id);
    if (!endpoint) return;
    this.tenantOf.set(id, endpoint.tenantId);
    const endpoints = this.byTenant.get(endpoint.tenantId) ?? new Map<string, EndpointConfig>();
    endpoints.set(id, endpoint);
    this.byTenant.set(endpoint.tenantId, endpoints);
  }
}
