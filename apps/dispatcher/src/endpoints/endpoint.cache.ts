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
   * The endpoint's config, at least at `minVersion`. An id not known yet may
   * have been created a moment ago, and a known one may have changed since
   * the request was routed, so the view catches up with the topic first.
   */
  async get(id: string, minVersion = 0): Promise<EndpointConfig | undefined> {
    const known = this.view.get(id);
    if (known && known.version >= minVersion) return known;
    await this.view.syncToLatest();
    return this.view.get(id);
  }
}
