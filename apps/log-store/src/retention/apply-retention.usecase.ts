import type { Logger } from 'pino';

/** What one bounded delete removed. */
export interface Purged {
  deliveries: number;
  attempts: number;
  events: number;
}

/**
 * The delivery log as retention sees it. Each purge is one short statement
 * deleting at most `limit` rows (a delivery goes with all its attempts), so
 * no lock is held for long and log-store's writes go on between batches.
 */
export interface RetentionStore {
  /** Every tenant with rows in the log. */
  tenantsInLog(): Promise<string[]>;
  /** Tenants whose retention differs from the default, with their number of days. */
  retentionOverrides(): Promise<Map<string, number>>;
  /** Deletes up to `limit` of the tenant's deliveries created more than `days` days ago, and their attempts. */
  purgeDeliveries(tenantId: string, days: number, limit: number): Promise<Pick<Purged, 'deliveries' | 'attempts'>>;
  /** Deletes up to `limit` of the tenant's events received more than `days` days ago. */
  purgeEvents(tenantId: string, days: number, limit: number): Promise<number>;
  /** Runs `work` unless another log-store instance is running it now (then answers null without waiting). */
  exclusively<T>(work: () => Promise<T>): Promise<T | null>;
}

export interface RetentionOptions {
  /** HOOKLINE_LOG_RETENTION_DAYS: for tenants without a setting of their own. */
  defaultDays: number;
  /** Rows per statement. */
  batchSize: number;
  /** Pause between statements, so that a large purge leaves the database to the log's writers most of the time. */
  pauseMs: number;
}

/** Waits between batches; a port so that the use case's tests need not wait. */
export type Pause = (ms: number) => Promise<void>;

/**
 * Deletes delivery-log rows past each tenant's retention period (its own
 * setting, else the default), in batches, tenant by tenant, until none is
 * left. A delivery and its attempts go together, by the delivery's creation
 * time (the event's receipt), so the log never shows a delivery without its
 * attempts; events go by their receipt time.
 */
export class ApplyRetention {
  constructor(
    private readonly store: RetentionStore,
    private readonly options: RetentionOptions,
    private readonly pause: Pause,
    private readonly logger: Logger,
  ) {}

  /** Several log-store instances each run the job: one applies retention, the others find it in progress and skip. */
  async execute(): Promise<Purged & { batches: number }> {
    const done = await this.store.exclusively(() => this.purgeAll());
    if (done === null) this.logger.debug('delivery log retention is being applied by another instance');
    return done ?? { deliveries: 0, attempts: 0, events: 0, batches: 0 };
  }

  private async purgeAll(): Promise<Purged & { batches: number }> {
    const overrides = await this.store.retentionOverrides();
    const total = { deliveries: 0, attempts: 0, events: 0, batches: 0 };
    for (const tenantId of await this.store.tenantsInLog()) {
      const days = overrides.get(tenantId) ?? this.options.defaultDays;
      const removed = { deliveries: 0, attempts: 0, events: 0 };
      let batches = 0;
      for (let full = true; full;) {
        const purged = await this.store.purgeDeliveries(tenantId, days, this.options.batchSize);
        removed.deliveries += purged.deliveries;
        removed.attempts += purged.attempts;
        full = purged.deliveries >= this.options.batchSize;
        batches++;
        if (full) await this.pause(this.options.pauseMs);
      }
      for (let full = true; full;) {
        const purged = await this.store.purgeEvents(tenantId, days, this.options.batchSize);
        removed.events += purged;
        full = purged >= this.options.batchSize;
        batches++;
        if (full) await this.pause(this.options.pauseMs);
      }
      if (removed.deliveries + removed.events > 0) this.logger.info({ tenantId, days, ...removed, batches }, 'delivery log retention applied');
      total.deliveries += removed.deliveries;
      total.attempts += removed.attempts;
      total.events += removed.events;
      total.batches += batches;
    }
    return total;
  }
}
