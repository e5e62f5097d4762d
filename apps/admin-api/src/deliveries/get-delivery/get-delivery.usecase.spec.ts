import type { DeliveryId, TenantId } from '@hookline/contracts';
import type { AttemptEntity } from '../attempt.entity';
import type { DeliveryEntity } from '../delivery.entity';
import type { RetryScheduleReader, ScheduledAttempt } from '../delivery.ports';
import { GetDelivery } from './get-delivery.usecase';

describe(GetDelivery.name, () => {
  const id = '0d2f4c7e-1111-4222-8333-944455556666' as DeliveryId;
  const tenantId = 'acme' as TenantId;
  const attempt = { id: 'a1', deliveryId: id, attemptNumber: 1 } as AttemptEntity;

  function setup(scheduled: ScheduledAttempt | null) {
    const asked: string[] = [];
    const log = {
      findOne: async (d: DeliveryId, t?: TenantId) => (d === id && (t === undefined || t === tenantId) ? ({ id, tenantId } as DeliveryEntity) : null),
      attemptsOf: async (ids: DeliveryId[]) => new Map(ids.map((d) => [d, d === id ? [attempt] : []])),
    };
    const schedule: RetryScheduleReader = {
      nextAttemptOf: async (d, t) => {
        asked.push(`${d} ${t}`);
        return scheduled;
      },
    };
    return { asked, useCase: new GetDelivery(log, schedule) };
  }

  it("answers the delivery, its attempts and what is scheduled next, read under the delivery's own tenant", async () => {
    const next = { attempt: 2, dueAt: new Date('2026-11-22T10:05:00.000Z') };
    const { asked, useCase } = setup(next);
    // A global key names no tenant: the schedule is still read under the delivery's.
    expect(await useCase.execute(id)).toEqual({ delivery: { id, tenantId }, attempts: [attempt], nextAttempt: next });
    expect(asked).toEqual([`${id} ${tenantId}`]);
  });

  it('answers null when nothing is scheduled', async () => {
    const { useCase } = setup(null);
    expect((await useCase.execute(id, tenantId)).nextAttempt).toBeNull();
  });

  it("answers 404 for another tenant's delivery or a malformed id, without reading the schedule", async () => {
    const { asked, useCase } = setup({ attempt: 2, dueAt: null });
    await expect(useCase.execute(id, 'globex' as TenantId)).rejects.toMatchObject({ status: 404 });
    await expect(useCase.execute('nope')).rejects.toMatchObject({ status: 404 });
    expect(asked).toEqual([]);
  });
});
