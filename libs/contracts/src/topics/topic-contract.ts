import type { z } from 'zod';

/**
 * One Kafka topic's contract: its name (`hookline.<entity>.<event>.v<N>`), the
 * schema of its values, how a value is keyed, whether it is compacted, and
 * where a consumer puts a message that fails the schema. Producers and
 * consumers are typed by the contract, never by a bare string.
 */
export interface TopicContract<S extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly schema: S;
  readonly key: (value: z.infer<S>) => string;
  /** Values may be null (tombstones) on compacted topics. */
  readonly compacted?: boolean;
  /**
   * The dead-letter topic for messages that fail `schema` (with the reason and
   * the original bytes); a topic without one cannot be consumed by a group
   * consumer (libs/kafka refuses it). Compacted topics have none: every instance re-reads
   * them whole at each start, so the same record would be dead-lettered again
   * and again; their readers log and count it instead (libs/kafka `CompactedView`).
   */
  readonly deadLetterTopic?: TopicContract;
  readonly description: string;
}

export type ValueOf<C extends TopicContract> = z.infer<C['schema']>;

export function defineTopic<S extends z.ZodType>(contract: TopicContract<S>): TopicContract<S> {
  if (!/^hookline\.[a-z-]+\.[a-z-]+\.v\d+$/.test(contract.name)) {
    throw new Error(`topic name ${contract.name} does not follow hookline.<entity>.<event>.v<N>`);
  }
  return contract;
}
