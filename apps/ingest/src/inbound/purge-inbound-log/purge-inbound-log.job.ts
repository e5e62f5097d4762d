import { Inject, Injectable } from '@nestjs/common';
import { DATA_SOURCE, LOGGER, PeriodicJob } from '@hookline/service-kit';
import type { DataSource } from '@hookline/database';
import type { Logger } from 'pino';

/** How long the inbound log keeps a request (README, "Inbound webhooks"). */
export const INBOUND_LOG_RETENTION_DAYS = 30;
const BATCH = 5_000;

/**
 * Keeps the inbound log to its retention: requests older than 30 days are
 * deleted, a batch at a time, so a flood of refused requests (someone probing
 * a source's URL) cannot grow the table without bound.
 */
@Injectable()
export class PurgeInboundLogJob {
  constructor(
    @Inject(DATA_SOURCE) private readonly db: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @PeriodicJob({ name: 'purge-inbound-log', everyMs: 15 * 60_000 })
  async run(): Promise<void> {
    await this.purge();
  }

  /** Deletes what is past the retention; returns how many. */
  async purge(): Promise<number> {
    let purged = 0;
    for (;;) {
      const [, count] = (await this.db.query(
        `DELETE FROM inbound_log WHERE id IN (SELECT id FROM inbound_log WHERE received_at < now() - make_interval(days => $1) LIMIT $2)`,
        [INBOUND_LOG_RETENTION_DAYS, BATCH],
      )) as [unknown, number];
      purged += count;
      if (count < BATCH) break;
    }
    if (purged > 0) this.logger.debug({ purged }, 'inbound log entries past their retention purged');
    return purged;
  }
}
