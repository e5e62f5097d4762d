import { DeliveryIdSchema, type TenantId } from '@hookline/contracts';
import { notFound } from '@hookline/service-kit';
import type { DeliveryLogReader, LoggedDelivery } from '../delivery.ports';

/** One delivery with its attempts; 404 for an unknown id or, given a tenant, another tenant's delivery. */
export class GetDelivery {
  constructor(private readonly log: Pick<DeliveryLogReader, 'findOne' | 'attemptsOf'>) {}

  async execute(id: string, tenantId?: TenantId): Promise<LoggedDelivery> {
    const parsed = DeliveryIdSchema.safeParse(id);
    const delivery = parsed.success ? await this.log.findOne(parsed.data, tenantId) : null;
    if (!delivery) throw notFound(`delivery ${id}`);
    return { delivery, attempts: (await this.log.attemptsOf([delivery.id])).get(delivery.id) ?? [] };
  }
}
