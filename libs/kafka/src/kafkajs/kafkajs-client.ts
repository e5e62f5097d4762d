import { connect, type Socket } from 'node:net';
import { Kafka, logLevel, Partitioners, type ISocketFactoryArgs, type LogEntry } from 'kafkajs';
import type { KafkaAdmin, KafkaClient, KafkaClientOptions, RawConsumer, RawProducer } from '../kafka-client';
import { EndOffsets } from './end-offsets';
import { patchKafkaJsIdleTimer } from './kafkajs-idle-timer.patch';

// Every KafkaJS client Hookline makes comes through this file (services,
// infra's readiness probe, tests, tools), so the patch is applied once, here.
patchKafkaJsIdleTimer();

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * KafkaJS' own socket factory leaves Nagle's algorithm on. A consumer shares
 * one connection for its parked fetch and its commits and heartbeats, so a
 * small request written behind an unanswered one waited for the broker's
 * delayed ACK: tens of milliseconds per hop at low rates (BENCHMARKS.md,
 * "Kafka client"). Hookline's requests are small and latency counts, so every
 * connection sends at once. Keep-alive as KafkaJS sets it.
 */
export function noDelaySocket({ host, port, onConnect }: ISocketFactoryArgs): Socket {
  const socket = connect({ host, port }, onConnect);
  socket.setKeepAlive(true, 60_000);
  socket.setNoDelay(true);
  return socket;
}

/** `KafkaClient` on KafkaJS 2.2.4 (patched: `kafkajs-idle-timer.patch.ts`). */
export class KafkaJsClient implements KafkaClient {
  /** The KafkaJS instance, for libs/kafka's own producer and consumers only. */
  readonly engine: Kafka;

  constructor(options: KafkaClientOptions) {
    const log = options.logger?.child({ component: 'kafkajs' });
    this.engine = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      socketFactory: noDelaySocket,
      logLevel: log ? logLevel.WARN : logLevel.NOTHING,
      ...(options.failFast
        ? { connectionTimeout: 1000, requestTimeout: 2000, retry: { retries: 0 } }
        : { retry: { retries: 10, initialRetryTime: 200, maxRetryTime: 5000 } }),
      ...(log && {
        logCreator:
          () =>
          ({ level, log: entry }: LogEntry) => {
            const { message, ...rest } = entry;
            log[LEVELS[level] ?? 'info'](rest, message);
          },
      }),
    });
  }

  admin(): KafkaAdmin {
    const admin = this.engine.admin();
    const ends = new EndOffsets(this.engine);
    return {
      connect: () => admin.connect(),
      disconnect: async () => {
        await ends.disconnect();
        await admin.disconnect();
      },
      listTopics: () => admin.listTopics(),
      createTopics: (options) => admin.createTopics(options),
      deleteTopics: (options) => admin.deleteTopics(options),
      describeCluster: () => admin.describeCluster(),
      describeGroups: async (groupIds) => (await admin.describeGroups(groupIds)).groups.map((g) => ({ groupId: g.groupId, state: g.state })),
      listGroups: async () => (await admin.listGroups()).groups.map((g) => g.groupId),
      deleteGroups: async (groupIds) => void (await admin.deleteGroups(groupIds)),
      fetchTopicOffsets: (topic) => admin.fetchTopicOffsets(topic),
      fetchTopicEnds: (topic) => ends.of(topic),
      fetchOffsets: async ({ groupId, topics }) =>
        (await admin.fetchOffsets({ groupId, ...(topics && { topics }) })).map((t) => ({
          topic: t.topic,
          partitions: t.partitions.map((p) => ({ partition: p.partition, offset: p.offset })),
        })),
    };
  }

  producer(): RawProducer {
    // The default (murmur2) partitioner places keys like Java clients do.
    const producer = this.engine.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    return {
      connect: () => producer.connect(),
      disconnect: () => producer.disconnect(),
      send: ({ topic, messages, acks }) => producer.send({ topic, messages, acks: acks ?? -1 }),
    };
  }

  consumer(options: { groupId: string }): RawConsumer {
    const consumer = this.engine.consumer({ groupId: options.groupId });
    return {
      connect: () => consumer.connect(),
      disconnect: () => consumer.disconnect(),
      subscribe: (o) => consumer.subscribe(o),
      run: ({ eachMessage }) =>
        consumer.run({
          eachMessage: ({ topic, partition, message }) =>
            eachMessage({
              topic,
              partition,
              message: {
                key: message.key,
                value: message.value,
                offset: message.offset,
                timestamp: message.timestamp,
                headers: message.headers ?? {},
              },
            }),
        }),
    };
  }
}

/** The KafkaJS instance behind a `KafkaClient` (the only implementation there is). */
export function kafkaJsOf(client: KafkaClient): Kafka {
  return (client as KafkaJsClient).engine;
}
