import { z } from 'zod';
import { RECOVERY_STATUSES, type RecoveryJob } from './recovery.ports';

const instant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with Z or an offset' }).transform((value) => new Date(value));

export const RecoverSchema = z
  .object({
    since: instant,
    until: instant.optional(),
    statuses: z
      .array(z.enum(RECOVERY_STATUSES, { error: `must be one of ${RECOVERY_STATUSES.join(', ')}` }))
      .min(1, 'must name at least one status')
      .max(RECOVERY_STATUSES.length, `must name each of ${RECOVERY_STATUSES.join(', ')} at most once`)
      .default(['dead']),
    dryRun: z.boolean({ error: 'must be true or false' }).default(false),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.until && body.until <= body.since) ctx.addIssue({ code: 'custom', path: ['until'], message: 'must be after since' });
    if (body.until === undefined && body.since > new Date()) ctx.addIssue({ code: 'custom', path: ['since'], message: 'must not be in the future' });
  });

/** The public shape of a recovery job: its selection and progress (its cursor and lease are the runner's business). */
export function toRecoveryJobView(job: RecoveryJob) {
  return {
    id: job.id,
    tenantId: job.tenantId,
    endpointId: job.endpointId,
    since: job.since.toISOString(),
    until: job.until.toISOString(),
    statuses: job.statuses,
    state: job.state,
    total: job.total,
    done: job.done,
    failed: job.failed,
    error: job.error,
    createdBy: job.createdBy,
    createdAt: job.createdAt.toISOString(),
    updatedAt: job.updatedAt.toISOString(),
  };
}
