import type { DeliveryId, TenantId } from '@hookline/contracts';
import type { ApiError } from '@hookline/service-kit';
import type { DeliveryEntity } from '../delivery.entity';
import type { RetryScheduleAdvancer, RetryScheduleReader, ScheduledAttempt } from '../delivery.ports';
import { RetryNow } from './retry-now.usecase';

describe(RetryNow.name, () => {
  const id = '0d2f4c7e-1111-4222-8333-944455556666' as DeliveryId;
  const tenantId = 'acme' as TenantId;
  const NOW = new Date('2026-11-23T09:00:00.000Z');

  /** The schedule as retry-scheduler's table: one row or none, moved only when it is not held. */
  function setup(row: ScheduledAttempt | null, status: DeliveryEntity['status'] = 'failing') {
    const calls: string[] = [];
    const log = {
      findOne: async (d: DeliveryId, t?: TenantId) => (d === id && (t === undefined || t === tenantId) ? ({ id, tenantId, status } as DeliveryEntity) : null),
    };
    const schedule: RetryScheduleReader & RetryScheduleAdvancer = {
      dueNow: async (d, t) => {
        calls.push(`dueNow ${d} ${t}`);
        if (!row || row.dueAt === null) return null;
        row.dueAt = NOW;
        return row.attempt;
      },
      nextAttemptOf: async (d, t) => {
        calls.push(`nextAttemptOf ${d} ${t}`);
        return row;
      },
    };
    return { calls, useCase: new RetryNow(log, schedule) };
  }

  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (err: ApiError) => ({ status: err.status, code: err.code, message: err.message }),
    );

  it("makes the scheduled retry due now and answers its attempt, under the delivery's own tenant", async () => {
    const row = { attempt: 4, dueAt: new Date('2026-11-23T13:00:00.000Z') };
    const { calls, useCase } = setup(row);
    // A global key names no tenant: the schedule is still written under the delivery's.
    expect(await useCase.execute({ deliveryId: id })).toEqual({ deliveryId: id, attempt: 4 });
    expect(row).toEqual({ attempt: 4, dueAt: NOW });
    expect(calls).toEqual([`dueNow ${id} ${tenantId}`]);
  });

  it('refuses a held retry with 409 endpoint_paused, leaving it held', async () => {
    const row = { attempt: 3, dueAt: null };
    const { useCase } = setup(row);
    expect(await refusal(useCase.execute({ deliveryId: id, tenantId }))).toEqual({
      status: 409,
      code: 'endpoint_paused',
      message: expect.stringContaining('resume the endpoint first'),
    });
    expect(row).toEqual({ attempt: 3, dueAt: null });
  });

  it.each(['succeeded', 'dead', 'pending', 'failing'] as const)(
    'refuses a %s delivery with nothing scheduled with 409 delivery_not_scheduled, pointing to replay',
    async (status) => {
      const { useCase } = setup(null, status);
      expect(await refusal(useCase.execute({ deliveryId: id, tenantId }))).toEqual({
        status: 409,
        code: 'delivery_not_scheduled',
        message: expect.stringMatching(/is not waiting for a retry; replay it if it has succeeded or is dead/),
      });
    },
  );

  it("answers 404 for another tenant's delivery, an unknown one or a malformed id, without touching the schedule", async () => {
    const { calls, useCase } = setup({ attempt: 2, dueAt: new Date('2026-11-23T13:00:00.000Z') });
    expect(await refusal(useCase.execute({ deliveryId: id, tenantId: 'globex' as TenantId }))).toMatchObject({ status: 404, code: 'not_found' });
    expect(await refusal(useCase.execute({ deliveryId: '6c8d8b1f-9b4d-4e1f-8b64-2a7a3b5f0d22' }))).toMatchObject({ status: 404 });
    expect(await refusal(useCase.execute({ deliveryId: 'nope' }))).toMatchObject({ status: 404 });
    expect(calls).toEqual([]);
  });
});
