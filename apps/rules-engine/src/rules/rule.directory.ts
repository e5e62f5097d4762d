import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { RulesChangedTopic, type EventEnvelope } from '@hookline/contracts';
import type { CompactedView, KafkaClient, TopicNames } from '@hookline/kafka';
import { KAFKA, LOGGER, openCompactedView, Readiness, TOPICS } from '@hookline/service-kit';
import type { Logger } from 'pino';
import type { Rules } from '../fan-out/fan-out.usecase';
import { RuleIndex, type CompiledRule } from './rule-index';

/** Every rule, compiled and indexed by tenant, as carried by the compacted rules topic. */
@Injectable()
export class RuleDirectory implements Rules, OnModuleInit, OnApplicationShutdown {
  private readonly index: RuleIndex;
  private readonly view: CompactedView<typeof RulesChangedTopic>;

  constructor(@Inject(KAFKA) kafka: KafkaClient, @Inject(TOPICS) topics: TopicNames, @Inject(LOGGER) logger: Logger, readiness: Readiness) {
    this.index = new RuleIndex(logger);
    this.view = openCompactedView(kafka, topics, RulesChangedTopic, logger, 'rules-engine', (id, rule) => this.index.apply(id, rule));
    readiness.add('rule-directory', () => this.view.syncToLatest(2_000));
  }

  async onModuleInit(): Promise<void> {
    await this.view.start();
  }

  /** After the consumers stopped (they stop before shutdown), so no batch runs rules on a closed view. */
  async onApplicationShutdown(): Promise<void> {
    await this.view.stop();
  }

  syncToLatest(): Promise<void> {
    return this.view.syncToLatest();
  }

  rulesFor(event: EventEnvelope): CompiledRule[] {
    return this.index.rulesFor(event);
  }
}
