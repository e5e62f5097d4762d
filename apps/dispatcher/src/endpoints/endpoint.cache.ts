import { Inject, Injectable, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { EndpointsChangedTopic, type EndpointConfig } from '@hookline/contracts';
import { CompactedView, type Kafka, type TopicNames } from '@hookline/kafka';
import { KAFKA, LOGGER, Readiness, TOPICS } from '@hookline/service-kit';
import type { Logger } from 'pino';

/** The current configuration of every endpoint, from the compacted endpoints topic. */
@Injectable()
export class EndpointCache implements OnModuleInit, BeforeApplicationShutdown {
  private readonly view: CompactedView<typeof EndpointsChangedTopic>;

  constructor(@Inject(KAFKA) kafka: Kafka, @Inject(TOPICS) topics: TopicNames, @Inject(LOGGER) logger: Logger, readiness: Readiness) {
    this.view = new CompactedView(kafka, topics, EndpointsChangedTopic, logger, topics.group('dispatcher'));
    readiness.add('endpoint-cache', () => this.view.syncToLatest(2_000));
  }

  async onModuleInit(): Promise<void> {
    await this.view.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.view.stop();
  }

  /**
   * The endpoint's config. An id not known yet may have been created a moment
   * ago, so the view catches up with the topic once before saying "missing".
   */
  async get(id: string): Promise<EndpointConfig | undefined> {
    const known = this.view.get(id);
    if (known) return known;
    await this.view.syncToLatest();
    return this.view.get(id);
  }
}
