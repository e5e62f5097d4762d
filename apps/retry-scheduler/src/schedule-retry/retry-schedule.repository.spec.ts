import type { DeliveryRequest } from '@hookline/contracts';
import { latestPerDelivery, type ScheduledRetry } from './retry-schedule.repository';

const retry = (deliveryId: string, attempt: number, dueAt: number): ScheduledRetry => ({
  request: { deliveryId, attempt } as DeliveryRequest,
  dueAt: new Date(dueAt),
  traceHeaders: {},
});

describe(latestPerDelivery.name, () => {
  it('keeps one retry per delivery (regression: a redelivered deferral made the upsert touch a row twice)', () => {
    const folded = latestPerDelivery([retry('a', 2, 1000), retry('b', 1, 1000), retry('a', 2, 1000), retry('a', 3, 500), retry('b', 1, 2000)]);
    expect(folded.map((r) => [r.request.deliveryId, r.request.attempt, r.dueAt.getTime()])).toEqual([
      ['a', 3, 500],
      ['b', 1, 2000],
    ]);
  });
});
