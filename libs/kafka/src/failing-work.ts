import type { Failure } from './failure';

/** Work of a consumer that has been failing since `since` (epoch ms), with its latest failure. */
export interface FailingSince {
  topic: string;
  partition: number;
  /** The first offset of the failing batch, or the failing message's. */
  offset: string;
  since: number;
  failure: Failure;
}

/**
 * What a consumer is retrying right now and since when: readiness reports a
 * partition whose work has failed without a break for longer than a set time.
 */
export class FailingWork {
  private readonly failing = new Map<string, FailingSince>();

  failed(topic: string, partition: number, offset: string, failure: Failure, now = Date.now()): void {
    const key = keyOf(topic, partition, offset);
    this.failing.set(key, { topic, partition, offset, since: this.failing.get(key)?.since ?? now, failure });
  }

  /** The work succeeded, was parked or was given up. */
  cleared(topic: string, partition: number, offset: string): void {
    this.failing.delete(keyOf(topic, partition, offset));
  }

  clearAll(): void {
    this.failing.clear();
  }

  /** Work failing for at least `ms`, oldest first. */
  stuckFor(ms: number, now = Date.now()): FailingSince[] {
    return [...this.failing.values()].filter((w) => now - w.since >= ms).sort((a, b) => a.since - b.since);
  }
}

const keyOf = (topic: string, partition: number, offset: string) => `${topic}\u0000${partition}\u0000${offset}`;

/** Told of each partition's lag: messages on the partition after the consumer's position (high watermark − next offset). */
export type LagObserver = (topic: string, partition: number, lag: number) => void;
