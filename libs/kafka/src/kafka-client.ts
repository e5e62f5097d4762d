import type { TopicContract } from '@hookline/contracts';
import type { Logger } from 'pino';
import { KafkaJsClient } from './kafkajs/kafkajs-client';

/**
 * Hookline's own view of a Kafka client: what services, infra's readiness
 * probe, tests and tools do with a broker, and nothing that names the library
 * behind it. One implementation today (KafkaJS, `kafkajs/`); BatchingProducer,
 * BatchConsumer, WindowedConsumer and CompactedView take a `KafkaClient` too.
 */
export interface KafkaClient {
  admin(): KafkaAdmin;
  /** A plain producer (acks = all unless given, keys placed by murmur2 as Java clients do), for tests and tools. */
  producer(): RawProducer;
  /** A plain group consumer with the client's defaults, for tests and tools. */
  consumer(options: { groupId: string }): RawConsumer;
}

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  /** Where the client's own warnings and errors go; without one it is silent. */
  logger?: Logger;
  /** Give up on a broker that does not answer at once (readiness probes); default: 10 retries, 200 ms to 5 s. */
  failFast?: boolean;
}

export interface NewTopic {
  topic: string;
  numPartitions: number;
  /** -1 (default): the broker's default replication. */
  replicationFactor?: number;
  configEntries?: { name: string; value: string }[];
}

export interface PartitionOffset {
  partition: number;
  /** Committed offset, or '-1' when the group has none. */
  offset: string;
}

export interface PartitionEnds {
  partition: number;
  /** The end of the partition (the next offset to be written). */
  offset: string;
  high: string;
  low: string;
}

export interface PartitionEnd {
  partition: number;
  /** The next offset to be written. */
  offset: string;
}

export interface KafkaAdmin {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  listTopics(): Promise<string[]>;
  /** Resolves false when every topic already existed. */
  createTopics(options: { topics: NewTopic[]; waitForLeaders?: boolean }): Promise<boolean>;
  deleteTopics(options: { topics: string[] }): Promise<void>;
  describeCluster(): Promise<{ brokers: { nodeId: number; host: string; port: number }[]; clusterId: string }>;
  /** Makes the broker load its group coordinator; resolves with the groups' states. */
  describeGroups(groupIds: string[]): Promise<{ groupId: string; state: string }[]>;
  deleteGroups(groupIds: string[]): Promise<void>;
  /** The ids of every consumer group the cluster knows. */
  listGroups(): Promise<string[]>;
  fetchTopicOffsets(topic: string): Promise<PartitionEnds[]>;
  /** Only the end of each partition (the next offset to be written): one request, where `fetchTopicOffsets` takes two. */
  fetchTopicEnds(topic: string): Promise<PartitionEnd[]>;
  fetchOffsets(options: { groupId: string; topics?: string[] }): Promise<{ topic: string; partitions: PartitionOffset[] }[]>;
}

export interface RawMessage {
  key?: string | Buffer | null;
  value: string | Buffer | null;
  headers?: Record<string, string>;
  partition?: number;
}

export interface RawProducer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  send(options: { topic: string; messages: RawMessage[]; acks?: -1 | 0 | 1 }): Promise<{ topicName: string; partition: number; baseOffset?: string }[]>;
}

export interface ReceivedMessage {
  key: Buffer | null;
  value: Buffer | null;
  offset: string;
  /** When the producer made the record (ms since the epoch, as a string), or when the broker appended it on a topic set to log-append time. */
  timestamp: string;
  headers: Record<string, string | Buffer | (string | Buffer)[] | undefined>;
}

export interface RawConsumer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  subscribe(options: { topic: string; fromBeginning?: boolean }): Promise<void>;
  /** Starts handing over messages one by one; offsets are committed automatically. Resolves once running. */
  run(options: { eachMessage: (payload: { topic: string; partition: number; message: ReceivedMessage }) => Promise<void> }): Promise<void>;
}

/** The one place that builds a Kafka client; with a logger, its logs go through the service's pino logger. */
export function createKafka(options: KafkaClientOptions): KafkaClient {
  return new KafkaJsClient(options);
}

export class TopicNames {
  constructor(private readonly prefix: string) {}
  of(contract: Pick<TopicContract, 'name'>): string {
    return this.prefix + contract.name;
  }

  /** Consumer group of a service, under the same prefix as its topics. */
  group(service: string): string {
    return `${this.prefix}hookline.${service}`;
  }
}

/**
 * Creates missing topics. Compacted topics get `cleanup.policy=compact` and a
 * single partition count like the rest; existing topics are left as they are.
 */
export async function ensureTopics(admin: KafkaAdmin, names: TopicNames, contracts: readonly TopicContract[], partitions: number): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const topics: NewTopic[] = contracts
    .filter((c) => !existing.has(names.of(c)))
    .map((c) => ({
      topic: names.of(c),
      numPartitions: partitions,
      replicationFactor: -1,
      configEntries: c.compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : [],
    }));
  if (topics.length === 0) return;
  try {
    await admin.createTopics({ topics, waitForLeaders: true });
  } catch (error) {
    // Another service may have created the same topics at the same moment.
    if (!(error instanceof Error && /already exists/i.test(error.message))) throw error;
  }
}
