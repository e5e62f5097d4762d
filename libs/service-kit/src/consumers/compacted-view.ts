import type { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { TopicContract, ValueOf } from '@hookline/contracts';
import { CompactedView, type KafkaClient, type TopicNames } from '@hookline/kafka';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import type { Readiness } from '../health/readiness';

const invalid = new Counter({
  name: 'hookline_messages_invalid_total',
  help: 'Records of a compacted topic that failed their schema (logged, not dead-lettered; the key keeps its previous value)',
  labelNames: ['topic'],
});

/** A `CompactedView` of `contract` for a service, whose invalid records are logged and counted in /metrics. */
export function openCompactedView<C extends TopicContract>(
  kafka: KafkaClient,
  names: TopicNames,
  contract: C,
  logger: Logger,
  service: string,
  onChange?: (key: string, value: ValueOf<C> | null) => void,
): CompactedView<C> {
  return new CompactedView(kafka, names, contract, logger, names.group(service), { onChange, onInvalid: (record) => invalid.inc({ topic: record.topic }) });
}

/** What a `CompactedDirectory` is opened with: the service's Kafka client, topic names, logger and readiness. */
export interface DirectoryDeps {
  kafka: KafkaClient;
  topics: TopicNames;
  logger: Logger;
  readiness: Readiness;
}

/**
 * The lifecycle every reader of a compacted topic shares (endpoints, rules,
 * the event catalog): its view, read whole from the topic's start when the
 * module starts, its catch-up part of `/health/ready` (under `check`), and
 * stopped at shutdown, after the consumers that read it have stopped.
 * Subclasses add what they answer from `this.view`.
 */
export abstract class CompactedDirectory<C extends TopicContract> implements OnModuleInit, OnApplicationShutdown {
  protected readonly view: CompactedView<C>;

  protected constructor(
    deps: DirectoryDeps,
    options: { contract: C; service: string; check: string; onChange?: (key: string, value: ValueOf<C> | null) => void },
  ) {
    this.view = openCompactedView(deps.kafka, deps.topics, options.contract, deps.logger, options.service, options.onChange);
    deps.readiness.add(options.check, () => this.view.syncToLatest(2_000));
  }

  async onModuleInit(): Promise<void> {
    await this.view.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.view.stop();
  }

  /** Resolves once every record written before the call is in the view. */
  syncToLatest(): Promise<void> {
    return this.view.syncToLatest();
  }
}
