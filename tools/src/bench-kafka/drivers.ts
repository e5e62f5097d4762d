/*
 * The two Kafka clients `npm run bench:kafka` compares, behind one small
 * interface: a batch send with acks = all, and a group consumer that hands
 * over what one fetch returned and commits each partition's offset after the
 * handler resolved (as BatchConsumer does). This is the one place outside
 * libs/kafka that names a client: comparing them is its purpose.
 */
import { connect } from 'node:net';
// Importing libs/kafka applies its KafkaJS patch, so the KafkaJS measured is the one the services run.
import '@hookline/kafka';
import { Kafka, logLevel, type ISocketFactoryArgs } from 'kafkajs';
import { Consumer, Producer, stringSerializers } from '@platformatic/kafka';

export type ClientName = 'kafkajs' | 'platformatic';
export const CLIENTS: readonly ClientName[] = ['kafkajs', 'platformatic'];

export interface BenchMessage {
  key: string;
  value: string;
}

export interface ConsumedBatch {
  partition: number;
  values: Buffer[];
}

export interface ConsumerSettings {
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  maxBytesPerPartition: number;
  heartbeatMs: number;
}

export const DEFAULT_CONSUMER: ConsumerSettings = {
  maxWaitMs: 500,
  minBytes: 1,
  maxBytes: 10 * 1024 * 1024,
  maxBytesPerPartition: 1024 * 1024,
  heartbeatMs: 1_000,
};

export interface Driver {
  sendBatch(topic: string, messages: BenchMessage[]): Promise<void>;
  consume(topic: string, groupId: string, settings: ConsumerSettings, handle: (batch: ConsumedBatch) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

export type Compression = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
export const COMPRESSIONS: readonly Compression[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

export function driver(name: ClientName, brokers: string[], compression: Compression = 'none', tcpNoDelay = true): Driver {
  return name === 'kafkajs' ? kafkaJsDriver(brokers, compression, tcpNoDelay) : platformaticDriver(brokers, compression);
}

/** As libs/kafka's KafkaJS client connects (Nagle off); `--tcp-nodelay 0` measures KafkaJS' own factory (Nagle on). */
function noDelaySocket({ host, port, onConnect }: ISocketFactoryArgs) {
  const socket = connect({ host, port }, onConnect);
  socket.setKeepAlive(true, 60_000);
  socket.setNoDelay(true);
  return socket;
}

function kafkaJsDriver(brokers: string[], compression: Compression, tcpNoDelay: boolean): Driver {
  // KafkaJS has gzip built in (CompressionTypes.GZIP = 1); the other codecs need packages Hookline does not have.
  if (compression !== 'none' && compression !== 'gzip') throw new Error(`kafkajs: ${compression} needs a codec package; only none and gzip are built in`);
  const codec = compression === 'gzip' ? 1 : 0;
  const kafka = new Kafka({
    clientId: 'bench-kafka',
    brokers,
    logLevel: logLevel.WARN,
    retry: { retries: 10, initialRetryTime: 200, maxRetryTime: 5000 },
    ...(tcpNoDelay && { socketFactory: noDelaySocket }),
  });
  const producer = kafka.producer({ idempotent: false, allowAutoTopicCreation: false });
  let connected: Promise<void> | null = null;
  const consumers: { disconnect(): Promise<void> }[] = [];
  return {
    async sendBatch(topic, messages) {
      await (connected ??= producer.connect());
      await producer.sendBatch({ topicMessages: [{ topic, messages }], acks: -1, compression: codec });
    },
    async consume(topic, groupId, s, handle) {
      const consumer = kafka.consumer({
        groupId,
        allowAutoTopicCreation: false,
        sessionTimeout: 10_000,
        heartbeatInterval: s.heartbeatMs,
        maxWaitTimeInMs: s.maxWaitMs,
        minBytes: s.minBytes,
        maxBytes: s.maxBytes,
        maxBytesPerPartition: s.maxBytesPerPartition,
      });
      consumers.push(consumer);
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch, heartbeat }) => {
          if (batch.messages.length === 0) return;
          await handle({ partition: batch.partition, values: batch.messages.map((m) => m.value ?? Buffer.alloc(0)) });
          const next = (BigInt(batch.messages[batch.messages.length - 1]!.offset) + 1n).toString();
          await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next }]);
          await heartbeat();
        },
      });
    },
    async close() {
      await Promise.all(consumers.map((c) => c.disconnect()));
      if (connected) await producer.disconnect();
    },
  };
}

function platformaticDriver(brokers: string[], compression: Compression): Driver {
  const base = { clientId: 'bench-kafka', bootstrapBrokers: brokers, retries: 10, retryDelay: 200 };
  const producer = new Producer({
    ...base,
    serializers: stringSerializers,
    acks: -1,
    idempotent: false,
    autocreateTopics: false,
    ...(compression === 'none' ? {} : { compression }),
  });
  const consumers: Consumer[] = [];
  return {
    async sendBatch(topic, messages) {
      await producer.send({ messages: messages.map((m) => ({ topic, key: m.key, value: m.value })) });
    },
    async consume(topic, groupId, s, handle) {
      const consumer = new Consumer({
        ...base,
        groupId,
        sessionTimeout: 10_000,
        heartbeatInterval: s.heartbeatMs,
        maxWaitTime: s.maxWaitMs,
        minBytes: s.minBytes,
        maxBytes: s.maxBytes,
        maxBytesPerPartition: s.maxBytesPerPartition,
        autocommit: false,
      });
      consumers.push(consumer);
      const stream = await consumer.consume({ topics: [topic], mode: 'committed', fallbackMode: 'earliest', autocommit: false });
      // The stream yields one message at a time; what arrived in one turn of the event loop (one fetch) is one batch per partition.
      let pending = new Map<number, { values: Buffer[]; last: { commit(): void | Promise<void> } }>();
      let scheduled = false;
      const drain = async () => {
        stream.pause();
        const batches = pending;
        pending = new Map();
        scheduled = false;
        for (const [partition, b] of batches) {
          await handle({ partition, values: b.values });
          await b.last.commit();
        }
        stream.resume();
      };
      stream.on('data', (message: { partition: number; value: Buffer; commit(): void | Promise<void> }) => {
        const entry = pending.get(message.partition) ?? { values: [], last: message };
        entry.values.push(message.value);
        entry.last = message;
        pending.set(message.partition, entry);
        if (!scheduled) {
          scheduled = true;
          setImmediate(() => void drain().catch((error: unknown) => stream.destroy(error as Error)));
        }
      });
    },
    async close() {
      await Promise.all(consumers.map((c) => c.close(true)));
      await producer.close();
    },
  };
}
