import type { Logger } from 'pino';

/** Forgets event ids older than the 24 h dedup window; returns how many. */
export interface ExpiredEventIds {
  purgeExpired(): Promise<number>;
}

/**
 * Keeps the dedup table to the 24 h window: an id older than that would be
 * accepted again anyway (its claim is renewed), so its row is only weight.
 */
export class PurgeEventIds {
  constructor(
    private readonly eventIds: ExpiredEventIds,
    private readonly logger: Logger,
  ) {}

  async execute(): Promise<number> {
    const purged = await this.eventIds.purgeExpired();
    if (purged > 0) this.logger.debug({ purged }, 'expired event ids purged');
    return purged;
  }
}
