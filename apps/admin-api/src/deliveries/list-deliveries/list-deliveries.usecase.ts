import { toPage } from '../../http/cursor';
import type { PagePosition } from '../../http/cursor';
import type { DeliveryFilter, DeliveryLogReader, LoggedDelivery } from '../delivery.ports';

/** A page of the delivery log, newest first, each delivery with all its attempts, and the cursor of the next page. */
export class ListDeliveries {
  constructor(private readonly log: DeliveryLogReader) {}

  async execute(filter: DeliveryFilter, page: { limit: number; after?: PagePosition }): Promise<{ page: LoggedDelivery[]; nextCursor: string | null }> {
    const { page: deliveries, nextCursor } = toPage(await this.log.list(filter, page.limit + 1, page.after), page.limit);
    const attempts = await this.log.attemptsOf(deliveries.map((d) => d.id));
    return { page: deliveries.map((delivery) => ({ delivery, attempts: attempts.get(delivery.id) ?? [] })), nextCursor };
  }
}
