import { z } from 'zod';
import { pageOf } from '../http/page';
import { RECOVERY_STATES, RECOVERY_STATUSES, type RecoveryJob } from './recovery.ports';

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
export const RecoveryJobViewSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  endpointId: z.string(),
  since: z.string(),
  until: z.string(),
  statuses: z.array(z.enum(RECOVERY_STATUSES)),
  state: z.enum(RECOVERY_STATES),
  total: z.number().int().meta({ description: 'deliveries the job resends: those selected when it was created' }),
  done: z.number().int(),
  failed: z.number().int(),
  error: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const RecoveryJobPageSchema = pageOf(RecoveryJobViewSchema);
export const RecoveryJobPath = z.object({ id: z.uuid() });

export function toRecoveryJobView(job: RecoveryJob): z.output<typeof RecoveryJobViewSchema> {
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
