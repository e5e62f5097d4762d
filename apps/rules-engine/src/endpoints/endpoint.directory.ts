import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { EndpointsChangedTopic, type EndpointConfig, type EndpointId, type TenantId } from '@hookline/contracts';
import type { CompactedView, KafkaClient, TopicNames } from '@hookline/kafka';
import { KAFKA, LOGGER, openCompactedView, Readiness, TOPICS } from '@hookline/service-kit';
import type { Logger } from 'pino';
import type { Subscribers } from '../fan-out/fan-out.usecase';
import { matchesEventType } from './event-type-match';

/** Every endpoint, indexed by tenant, as carried by the compacted endpoints topic. */
@Injectable()
export class EndpointDirectory implements Subscribers, OnModuleInit, OnApplicationShutdown {
  private readonly byTenant = new Map<TenantId, Map<EndpointId, EndpointConfig>>();
  private readonly tenantOf = new Map<EndpointId, TenantId>();
  private readonly view: CompactedView<typeof EndpointsChangedTopic>;

  constructor(@Inject(KAFKA) kafka: KafkaClient, @Inject(TOPICS) topics: TopicNames, @Inject(LOGGER) logger: Logger, readiness: Readiness) {
    this.view = openCompactedView(kafka, topics, EndpointsChangedTopic, logger, 'rules-engine', (id, endpoint) => this.apply(id as EndpointId, endpoint));
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

  subscribersOf(tenantId: TenantId, eventType: string): EndpointConfig[] {
    const endpoints = this.byTenant.get(tenantId);
    if (!endpoints) return [];
    return [...endpoints.values()].filter((e) => e.enabled && matchesEventType(e.eventTypes, eventType));
  }

  private apply(id: EndpointId, endpoint: EndpointConfig | null): void {
    const previousTenant = this.tenantOf.get(id);
    if (previousTenant) this.byTenant.get(previousTenant)?.delete(id);
    this.tenantOf.delete(id);
    if (!endpoint) return;
    this.tenantOf.set(id, endpoint.tenantId);
    const endpoints = this.byTenant.get(endpoint.tenantId) ?? new Map<EndpointId, EndpointConfig>();
    endpoints.set(id, endpoint);
    this.byTenant.set(endpoint.tenantId, endpoints);
  }
}
