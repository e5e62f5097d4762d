import type { Failure } from './failure';

/** Work of a consumer unfinished since `since` (epoch ms), with its latest failure if it failed. */
export interface UnfinishedSince {
  topic: string;
  partition: number;
  /** The first offset of the batch, or the message's. */
  offset: string;
  since: number;
  /** The latest failure; undefined while the work has not failed, only not finished (a hung query, a stalled call). */
  failure?: Failure;
}

/**
 * What a consumer is working on or retrying right now, and since when:
 * readiness reports a partition whose work has not finished for longer than a
 * set time, whether it keeps failing or hangs without an error.
 */
export class UnfinishedWork {
  private readonly unfinished = new Map<string, UnfinishedSince>();

  started(topic: string, partition: number, offset: string, now = Date.now()): void {
    const key = keyOf(topic, partition, offset);
    if (!this.unfinished.has(key)) this.unfinished.set(key, { topic, partition, offset, since: now });
  }

  failed(topic: string, partition: number, offset: string, failure: Failure, now = Date.now()): void {
    const key = keyOf(topic, partition, offset);
    this.unfinished.set(key, { topic, partition, offset, since: this.unfinished.get(key)?.since ?? now, failure });
  }

  /** The work succeeded, was parked or was given up. */
  cleared(topic: string, partition: number, offset: string): void {
    this.unfinished.delete(keyOf(topic, partition, offset));
  }

  clearAll(): void {
    this.unfinished.clear();
  }

  /** Work unfinished for at least `ms`, oldest first. */
  stuckFor(ms: number, now = Date.now()): UnfinishedSince[] {
    return [...this.unfinished.values()].filter((w) => now - w.since >= ms).sort((a, b) => a.since - b.since);
  }
}

const keyOf = (topic: string, partition: number, offset: string) => `${topic}\u0000${partition}\u0000${offset}`;

/** Told of each partition's lag: messages on the partition after the consumer's position (high watermark − next offset). */
export type LagObserver = (topic: string, partition: number, lag: number) => void;
