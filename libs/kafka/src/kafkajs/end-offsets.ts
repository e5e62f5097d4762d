import type { Kafka } from 'kafkajs';
import type { PartitionEnd } from '../kafka-client';

/** The part of KafkaJS' cluster (not exported by KafkaJS) that a ListOffsets request needs. */
interface KafkaJsCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  refreshMetadataIfNecessary(): Promise<void>;
  refreshMetadata(): Promise<void>;
  findTopicPartitionMetadata(topic: string): { partitionId: number }[];
  fetchTopicsOffset(
    topics: { topic: string; fromBeginning: boolean; partitions: { partition: number }[] }[],
  ): Promise<{ topic: string; partitions: PartitionEnd[] }[]>;
}

type CreateCluster = (options: { allowAutoTopicCreation: boolean }) => KafkaJsCluster;

const TRIES = 3;

/**
 * The end offsets of a topic's partitions, in one ListOffsets request per
 * leader. KafkaJS' admin only asks for both ends of each partition, in two
 * requests one after the other; a consumer that catches up with a compacted
 * topic before every batch needs only the end, and the second request cost as
 * much again in the client and the broker (BENCHMARKS.md, "Broker settings").
 * This asks through a KafkaJS cluster of its own, made by the factory every
 * KafkaJS client holds (KafkaJS 2.2.4 is the last release, so its internals
 * hold still), connected on first use.
 */
export class EndOffsets {
  private cluster: Promise<KafkaJsCluster> | null = null;

  constructor(private readonly kafka: Kafka) {}

  async of(topic: string): Promise<PartitionEnd[]> {
    for (let attempt = 1; ; attempt++) {
      const cluster = await this.connected();
      try {
        await cluster.addTargetTopic(topic);
        await cluster.refreshMetadataIfNecessary();
        const partitions = cluster.findTopicPartitionMetadata(topic).map((p) => ({ partition: p.partitionId }));
        const [ends] = await cluster.fetchTopicsOffset([{ topic, fromBeginning: false, partitions }]);
        return ends.partitions.map(({ partition, offset }) => ({ partition, offset }));
      } catch (error) {
        // A moved leader or a topic just created: the next try asks with fresh metadata.
        if (attempt >= TRIES) throw error;
        await cluster.refreshMetadata().catch(() => undefined);
      }
    }
  }

  async disconnect(): Promise<void> {
    const cluster = this.cluster;
    this.cluster = null;
    if (cluster) await (await cluster.catch(() => null))?.disconnect();
  }

  private connected(): Promise<KafkaJsCluster> {
    if (!this.cluster) {
      const cluster = createClusterOf(this.kafka)({ allowAutoTopicCreation: false });
      this.cluster = cluster.connect().then(() => cluster);
      // A failed connection is tried again on the next call.
      this.cluster.catch(() => (this.cluster = null));
    }
    return this.cluster;
  }
}

function createClusterOf(kafka: Kafka): CreateCluster {
  const key = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:createCluster');
  const create = key && (kafka as unknown as Record<symbol, CreateCluster | undefined>)[key];
  if (!create) throw new Error('this KafkaJS has no cluster factory; Hookline runs on KafkaJS 2.2.4');
  return create;
}
