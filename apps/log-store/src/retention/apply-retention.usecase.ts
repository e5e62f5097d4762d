import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { LOGGER } from '@hookline/service-kit';
import type { Logger } from 'pino';
import { LOG_STORE_CONFIG, type LogStoreConfig } from '../log-store.config';
import { DeliveryLogRepository } from '../record-log/delivery-log.repository';

/** Deletes delivery-log rows past the retention period (default 30 days), hourly. */
@Injectable()
export class ApplyRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly log: DeliveryLogRepository,
    @Inject(LOG_STORE_CONFIG) private readonly config: LogStoreConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    void this.execute();
    this.timer = setInterval(() => void this.execute(), 3_600_000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async execute(): Promise<number> {
    try {
      const removed = await this.log.purgeOlderThan(this.config.HOOKLINE_LOG_RETENTION_DAYS);
      if (removed > 0) this.logger.info({ removed, days: this.config.HOOKLINE_LOG_RETENTION_DAYS }, 'delivery log retention applied');
      return removed;
    } catch (err) {
      this.logger.error({ err }, 'applying delivery log retention failed');
      return 0;
    }
  }
}
