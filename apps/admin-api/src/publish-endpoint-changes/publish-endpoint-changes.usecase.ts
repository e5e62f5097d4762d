import { EndpointsChangedTopic, type EndpointConfig, type EndpointId } from '@hookline/contracts';
import type { OutgoingMessage } from '@hookline/kafka';
import type { Logger } from 'pino';
import { endpointSettings, type EndpointEntity } from '../endpoints/endpoint.entity';
import type { EndpointPublication } from '../endpoints/endpoint.ports';

/** Endpoint rows as publication needs them: locked one at a time, and those the topic lags behind. */
export interface PublishedEndpoints {
  withLocked<T>(id: EndpointId, work: (endpoint: EndpointEntity | null, save: (e: EndpointEntity) => Promise<EndpointEntity>) => Promise<T>): Promise<T>;
  /** Ids of endpoints whose latest version has not reached the topic yet, oldest change first. */
  unpublished(limit: number): Promise<EndpointId[]>;
}

/** The compacted endpoints topic; resolves once the broker has the record. */
export interface EndpointsTopic {
  send(topic: typeof EndpointsChangedTopic, messages: OutgoingMessage<typeof EndpointsChangedTopic>[]): Promise<void>;
}

/**
 * Carries endpoint changes from PostgreSQL (the source of truth) to the
 * compacted endpoints topic that rules-engine and dispatcher read. A change is
 * published right after it is saved; if that fails (broker down, crash), the
 * row keeps `published_version < version` and the relay job publishes it
 * later. The topic always converges to the database.
 */
export class PublishEndpointChanges implements EndpointPublication {
  constructor(
    private readonly endpoints: PublishedEndpoints,
    private readonly topic: EndpointsTopic,
    private readonly logger: Logger,
  ) {}

  /**
   * Publishes the endpoint's current state (a tombstone if deleted) if it is
   * newer than what was published, under the row lock: publications of one
   * endpoint happen in version order, so the compacted topic ends on the
   * latest version even when the relay and a request race.
   */
  async execute(id: EndpointId): Promise<void> {
    await this.endpoints.withLocked(id, async (endpoint, save) => {
      if (!endpoint || endpoint.publishedVersion >= endpoint.version) return;
      await this.topic.send(EndpointsChangedTopic, [{ key: endpoint.id, value: endpoint.deletedAt ? null : toConfig(endpoint) }]);
      endpoint.publishedVersion = endpoint.version;
      await save(endpoint);
    });
  }

  /** Like execute, but a failure only logs: the change is saved and the relay publishes it later. */
  async executeOrDefer(id: EndpointId): Promise<void> {
    await this.execute(id).catch((err) => this.logger.warn({ err, endpointId: id }, 'publishing an endpoint change failed; the relay will retry'));
  }

  /** Publishes every endpoint the topic lags behind (the relay); returns how many it looked at. */
  async relayUnpublished(limit: number): Promise<number> {
    const ids = await this.endpoints.unpublished(limit);
    for (const id of ids) await this.execute(id);
    return ids.length;
  }
}

/** An endpoint as the topic carries it: secrets, private keys and a chat URL sealed as stored, public keys left out. */
function toConfig(e: EndpointEntity): EndpointConfig {
  return {
    ...endpointSettings(e),
    state: e.state,
    stateVersion: e.stateVersion,
    // Sealed as stored: only a service holding the master key (the dispatcher) opens them.
    secrets: e.secrets,
    signingKeys: e.signingKeys.map(({ keyId, algorithm, privateKey, createdAt }) => ({ keyId, algorithm, privateKey, createdAt })),
    chat: e.chat ?? null,
    version: e.version,
    updatedAt: e.updatedAt.toISOString(),
  };
}
