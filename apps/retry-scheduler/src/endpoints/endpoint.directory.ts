import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { EndpointsChangedTopic, type EndpointConfig, type EndpointId } from '@hookline/contracts';
import type { CompactedView, KafkaClient, TopicNames } from '@hookline/kafka';
import { KAFKA, LOGGER, openCompactedView, Readiness, TOPICS } from '@hookline/service-kit';
import type { Logger } from 'pino';
import type { SubjectEndpoints } from '../alert-exhausted/alert-exhausted.usecase';

/** The state of an endpoint as the retry-scheduler needs it: whether it is paused, its state version and its failure threshold. */
export type EndpointStateFacts = Pick<EndpointConfig, 'state' | 'stateVersion' | 'disableAfterFailures' | 'version'>;

/**
 * Every endpoint as the compacted endpoints topic carries it, read whole by
 * each instance (as rules-engine and the dispatcher do): what the hold's
 * release and the failure runs need of its state, and what an alert says of
 * the endpoint it is about.
 */
@Injectable()
export class EndpointDirectory implements SubjectEndpoints, OnModuleInit, OnApplicationShutdown {
  private readonly view: CompactedView<typeof EndpointsChangedTopic>;

  constructor(@Inject(KAFKA) kafka: KafkaClient, @Inject(TOPICS) topics: TopicNames, @Inject(LOGGER) logger: Logger, readiness: Readiness) {
    this.view = openCompactedView(kafka, topics, EndpointsChangedTopic, logger, 'retry-scheduler');
    readiness.add('endpoint-directory', () => this.view.syncToLatest(2_000));
  }

  async onModuleInit(): Promise<void> {
    await this.view.start();
  }

  /** After the consumers stopped (they stop before shutdown), so no batch reads a closed view. */
  async onApplicationShutdown(): Promise<void> {
    await this.view.stop();
  }

  syncToLatest(): Promise<void> {
    return this.view.syncToLatest();
  }

  /** The endpoint's latest known state; undefined once it is deleted. */
  get(id: EndpointId): EndpointStateFacts | undefined {
    return this.view.get(id);
  }

  /** Catches up with the topic first when the view has not seen the version the delivery was routed with. */
  async describe(id: EndpointId, minVersion: number): Promise<{ id: string; url: string; description: string } | undefined> {
    let endpoint = this.view.get(id);
    if (!endpoint || endpoint.version < minVersion) {
      await this.view.syncToLatest();
      endpoint = this.view.get(id);
    }
    return endpoint && { id: endpoint.id, url: endpoint.url, description: endpoint.description };
  }
}
