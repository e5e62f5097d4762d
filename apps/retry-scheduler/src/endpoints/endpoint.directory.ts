import { Inject, Injectable } from '@nestjs/common';
import { EndpointsChangedTopic, type EndpointConfig, type EndpointId } from '@hookline/contracts';
import type { KafkaClient, TopicNames } from '@hookline/kafka';
import { CompactedDirectory, KAFKA, LOGGER, Readiness, TOPICS } from '@hookline/service-kit';
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
export class EndpointDirectory extends CompactedDirectory<typeof EndpointsChangedTopic> implements SubjectEndpoints {
  constructor(@Inject(KAFKA) kafka: KafkaClient, @Inject(TOPICS) topics: TopicNames, @Inject(LOGGER) logger: Logger, readiness: Readiness) {
    super({ kafka, topics, logger, readiness }, { contract: EndpointsChangedTopic, service: 'retry-scheduler', check: 'endpoint-directory' });
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
