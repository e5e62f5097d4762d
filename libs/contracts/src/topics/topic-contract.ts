import type { z } from 'zod';

/**
 * One Kafka topic's contract: its name (`hookline.<entity>.<event>.v<N>`), the
 * schema of its values, how a value is keyed, and whether it is compacted.
 * Producers and consumers are typed by the contract, never by a bare string.
 */
export interface TopicContract<S extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly schema: S;
  readonly key: (value: z.infer<S>) => string;
  readonly compacted?: boolean;
  /** Values may be null (tombstones) on compacted topics. */
  readonly description: string;
}

export type ValueOf<C extends TopicContract> = z.infer<C['schema']>;

export function defineTopic<S extends z.ZodType>(contract: TopicContract<S>): TopicContract<S> {
  if (!/^hookline\.[a-z-]+\.[a-z-]+\.v\d+$/.test(contract.name)) {
    throw new Error(`topic name ${contract.name} does not follow hookline.<entity>.<event>.v<N>`);
  }
  return contract;
}
