import type { TopicContract, ValueOf } from '@hookline/contracts';
import { CompactedView, type KafkaClient, type TopicNames } from '@hookline/kafka';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';

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
