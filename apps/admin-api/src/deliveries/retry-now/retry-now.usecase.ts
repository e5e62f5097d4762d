import { DeliveryIdSchema, type DeliveryId, type TenantId } from '@hookline/contracts';
import { conflict, notFound } from '@hookline/service-kit';
import type { DeliveryLogReader, RetryScheduleAdvancer, RetryScheduleReader } from '../delivery.ports';

export interface RetryNowCommand {
  deliveryId: string;
  /** The caller's tenant (a tenant key), or the one a global key named; undefined: any. */
  tenantId?: TenantId;
}

export interface RetryNowAccepted {
  deliveryId: DeliveryId;
  /** The number of the scheduled attempt that is now due. */
  attempt: number;
}

/**
 * Makes a delivery's scheduled retry due now, for an operator who has fixed
 * the endpoint and will not wait hours for the next retry of its schedule.
 * It lives with the delivery log rather than with replay because it starts
 * nothing: no new chain, no request published, no attempt number of its own.
 * It only moves the due time of the row retry-scheduler already holds in
 * `retry_schedule`, and that row's poll (every `RETRY_SCHEDULER_POLL_MS`)
 * sends the same attempt, with the same ids, as it would have at its time.
 *
 * Why this cannot make an attempt run twice:
 * - The row is the only thing that fires the retry, and there is one row per
 *   delivery (its primary key). This changes only its `due_at`, never its
 *   attempt or request, and publishes nothing; so it decides when the one
 *   issue happens, never how many there are.
 * - retry-scheduler issues a due row by locking it (`FOR UPDATE SKIP LOCKED`),
 *   producing it and deleting it in one transaction. If the poll holds the
 *   row, this UPDATE waits for its lock; once the poll commits the row is
 *   gone and the UPDATE matches nothing (answered 409 delivery_not_scheduled:
 *   the retry is already on its way); if the poll rolled back, the row is
 *   moved and issued by a later poll. If this UPDATE holds the row first, the
 *   poll skips it for the few milliseconds of the statement and takes it at
 *   its next run.
 * - A held row (`due_at` NULL, paused endpoint) is left alone: releasing it
 *   is the release job's, which takes only held rows and deletes a row only
 *   while it is still held. Making it due here would send it to a paused
 *   endpoint (the dispatcher would hold it again) and race the release.
 * - `due_at` becomes PostgreSQL's `now()`, the clock the poll compares
 *   against, so the row is due at the poll's next run whatever the clocks of
 *   admin-api's hosts say.
 * A deferral (a request the dispatcher put off while the endpoint was busy)
 * is a scheduled row too, and moved like a retry; if the endpoint is still
 * busy the dispatcher simply defers it again.
 */
export class RetryNow {
  constructor(
    private readonly log: Pick<DeliveryLogReader, 'findOne'>,
    private readonly schedule: RetryScheduleReader & RetryScheduleAdvancer,
  ) {}

  async execute(command: RetryNowCommand): Promise<RetryNowAccepted> {
    const parsed = DeliveryIdSchema.safeParse(command.deliveryId);
    const delivery = parsed.success ? await this.log.findOne(parsed.data, command.tenantId) : null;
    if (!delivery) throw notFound(`delivery ${command.deliveryId}`);
    // The schedule is written under the delivery's own tenant, the one a tenant key was just checked against.
    const attempt = await this.schedule.dueNow(delivery.id, delivery.tenantId);
    if (attempt !== null) return { deliveryId: delivery.id, attempt };
    // Nothing moved: a held row, or no row at all. Read after the write, so a row issued meanwhile reads as none.
    const scheduled = await this.schedule.nextAttemptOf(delivery.id, delivery.tenantId);
    if (scheduled && scheduled.dueAt === null) {
      throw conflict(
        'endpoint_paused',
        `delivery ${delivery.id} waits for attempt ${scheduled.attempt} while its endpoint is paused; resume the endpoint first, and its held deliveries are sent`,
      );
    }
    throw conflict(
      'delivery_not_scheduled',
      `delivery ${delivery.id} is ${delivery.status}: it is not waiting for a retry; replay it if it has succeeded or is dead`,
    );
  }
}
