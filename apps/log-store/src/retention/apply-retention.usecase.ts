import type { Logger } from 'pino';

/** Deletes delivery-log rows older than a number of days; returns how many. */
export interface RetentionStore {
  purgeOlderThan(days: number): Promise<number>;
}

/** Deletes delivery-log rows past the retention period (default 30 days). */
export class ApplyRetention {
  constructor(
    private readonly store: RetentionStore,
    private readonly days: number,
    private readonly logger: Logger,
  ) {}

  async execute(): Promise<number> {
    const removed = await this.store.purgeOlderThan(this.days);
    if (removed > 0) this.logger.info({ removed, days: this.days }, 'delivery log retention applied');
    return removed;
  }
}
