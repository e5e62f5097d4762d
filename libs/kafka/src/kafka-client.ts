import type { TopicContract } from '@hookline/contracts';
import { Kafka, logLevel, type Admin, type ITopicConfig, type LogEntry } from 'kafkajs';
import type { Logger } from 'pino';
import { patchKafkaJsIdleTimer } from './kafkajs-idle-timer.patch';

// Every KafkaJS client Hookline makes comes through this library (services,
// infra's readiness probe, tests, tools), so the patch is applied once, here.
patchKafkaJsIdleTimer();

/** KafkaJS itself, patched, for code that needs a client with options of its own. */
export { Kafka, logLevel };

export interface KafkaOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
}

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** The one place that builds a KafkaJS client; its logs go through the service's pino logger. */
export function createKafka(options: KafkaOptions): Kafka {
  const log = options.logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: logLevel.WARN,
    retry: { retries: 10, initialRetryTime: 200, maxRetryTime: 5000 },
    logCreator:
      () =>
      ({ level, log: entry }: LogEntry) => {
        const { message, ...rest } = entry;
        log[LEVELS[level] ?? 'info'](rest, message);
      },
  });
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
export async function ensureTopics(admin: Admin, names: TopicNames, contracts: readonly TopicContract[], partitions: number): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const topics: ITopicConfig[] = contracts
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
