import { Inject, Injectable } from '@nestjs/common';
import { RulesChangedTopic, type EventEnvelope } from '@hookline/contracts';
import type { KafkaClient, TopicNames } from '@hookline/kafka';
import { CompactedDirectory, KAFKA, LOGGER, Readiness, TOPICS } from '@hookline/service-kit';
import type { Logger } from 'pino';
import type { Rules } from '../fan-out/fan-out.usecase';
import { RuleIndex, type CompiledRule } from './rule-index';

/** Every rule, compiled and indexed by tenant, as carried by the compacted rules topic. */
@Injectable()
export class RuleDirectory extends CompactedDirectory<typeof RulesChangedTopic> implements Rules {
  private readonly index: RuleIndex;

  constructor(@Inject(KAFKA) kafka: KafkaClient, @Inject(TOPICS) topics: TopicNames, @Inject(LOGGER) logger: Logger, readiness: Readiness) {
    const index = new RuleIndex(logger);
    super(
      { kafka, topics, logger, readiness },
      { contract: RulesChangedTopic, service: 'rules-engine', check: 'rule-directory', onChange: (id, rule) => index.apply(id, rule) },
    );
    this.index = index;
  }

  rulesFor(event: EventEnvelope): CompiledRule[] {
    return this.index.rulesFor(event);
  }
}
