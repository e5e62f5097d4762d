import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { EndpointsChangedTopic, type EndpointConfig, type EndpointId } from '@hookline/contracts';
import type { CompactedView, Kafka, TopicNames } from '@hookline/kafka';
import { KAFKA, LOGGER, openCompactedView, Readiness, TOPICS } from '@hookline/service-kit';
import type { Logger } from 'pino';

/** The state of an endpoint as the retry-scheduler needs it: whether it is paused, its state version and its failure threshold. */
export type EndpointStateFacts = Pick<EndpointConfig, 'state' | 'stateVersion' | 'disableAfterFailures' | 'version'>;

/** Endpoints as the compacted endpoints topic carries them, read whole by each instance (as rules-engine and dispatcher do). */
@Injectable()
export class EndpointStatesView implements OnModuleInit, OnApplicationShutdown {
  private readonly view: CompactedView<typeof EndpointsChangedTopic>;

  constructor(@Inject(KAFKA) kafka: Kafka, @Inject(TOPICS) topics: TopicNames, @Inject(LOGGER) logger: Logger, readiness: Readiness) {
    this.view = openCompactedView(kafka, topics, EndpointsChangedTopic, logger, 'retry-scheduler');
    readiness.add('endpoint-states', () => this.view.syncToLatest(2_000));
  }

  async onModuleInit(): Promise<void> {
    await this.view.start();
  }

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
}
