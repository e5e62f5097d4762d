import { Inject, Injectable } from '@nestjs/common';
import { EndpointsChangedTopic, type EndpointConfig, type EndpointId } from '@hookline/contracts';
import type { KafkaClient, TopicNames } from '@hookline/kafka';
import { CompactedDirectory, KAFKA, LOGGER, Readiness, TOPICS } from '@hookline/service-kit';
import type { Logger } from 'pino';
import type { EndpointConfigs } from '../dispatch-request/dispatch-request.usecase';

/** The current configuration of every endpoint, from the compacted endpoints topic. */
@Injectable()
export class EndpointCache extends CompactedDirectory<typeof EndpointsChangedTopic> implements EndpointConfigs {
  constructor(@Inject(KAFKA) kafka: KafkaClient, @Inject(TOPICS) topics: TopicNames, @Inject(LOGGER) logger: Logger, readiness: Readiness) {
    super({ kafka, topics, logger, readiness }, { contract: EndpointsChangedTopic, service: 'dispatcher', check: 'endpoint-cache' });
  }

  /** The latest config the view holds, without catching up. */
  latest(id: EndpointId): EndpointConfig | undefined {
    return this.view.get(id);
  }

  /**
   * The endpoint's config, at least at `minVersion`. An id not known yet may
   * have been created a moment ago, and a known one may have changed since
   * the request was routed, so the view catches up with the topic first.
   */
  async get(id: EndpointId, minVersion = 0): Promise<EndpointConfig | undefined> {
    const known = this.view.get(id);
    if (known && known.version >= minVersion) return known;
    await this.view.syncToLatest();
    return this.view.get(id);
  }
}
