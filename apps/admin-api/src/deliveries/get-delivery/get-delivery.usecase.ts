import { DeliveryIdSchema, type TenantId } from '@hookline/contracts';
import { notFound } from '@hookline/service-kit';
import type { DeliveryDetail, DeliveryLogReader, RetryScheduleReader } from '../delivery.ports';

/**
 * One delivery with its attempts and the attempt scheduled next; 404 for an
 * unknown id or, given a tenant, another tenant's delivery.
 */
export class GetDelivery {
  constructor(
    private readonly log: Pick<DeliveryLogReader, 'findOne' | 'attemptsOf'>,
    private readonly schedule: RetryScheduleReader,
  ) {}

  async execute(id: string, tenantId?: TenantId): Promise<DeliveryDetail> {
    const parsed = DeliveryIdSchema.safeParse(id);
    const delivery = parsed.success ? await this.log.findOne(parsed.data, tenantId) : null;
    if (!delivery) throw notFound(`delivery ${id}`);
    // The schedule is read under the delivery's own tenant, the one a tenant key was just checked against.
    const [attempts, nextAttempt] = await Promise.all([this.log.attemptsOf([delivery.id]), this.schedule.nextAttemptOf(delivery.id, delivery.tenantId)]);
    return { delivery, attempts: attempts.get(delivery.id) ?? [], nextAttempt };
  }
}
