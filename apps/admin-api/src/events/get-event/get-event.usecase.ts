import { EventIdSchema, type TenantId } from '@hookline/contracts';
import { notFound } from '@hookline/service-kit';
import type { DeliveryLogReader } from '../../deliveries/delivery.ports';
import type { EventLogReader, LoggedEvent } from '../event.ports';

/** One event of the tenant with all its deliveries and their attempts; 404 for an unknown id (another tenant's included). */
export class GetEvent {
  constructor(
    private readonly events: EventLogReader,
    private readonly deliveries: Pick<DeliveryLogReader, 'attemptsOf'>,
  ) {}

  async execute(tenantId: TenantId, id: string): Promise<LoggedEvent> {
    const parsed = EventIdSchema.safeParse(id);
    const event = parsed.success ? await this.events.findEvent(tenantId, parsed.data) : null;
    if (!event || !parsed.success) throw notFound(`event ${id}`);
    const deliveries = await this.events.deliveriesOf(tenantId, parsed.data);
    const attempts = await this.deliveries.attemptsOf(deliveries.map((d) => d.id));
    return { event, deliveries: deliveries.map((delivery) => ({ delivery, attempts: attempts.get(delivery.id) ?? [] })) };
  }
}
