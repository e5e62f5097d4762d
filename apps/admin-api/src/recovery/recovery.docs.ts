import type { RouteDoc } from '@hookline/service-kit';
import { z } from 'zod';
import { TenantQuery } from '../deliveries/delivery.dto';
import { EndpointPath, ListQuerySchema, TenantParam } from '../endpoints/endpoint.dto';
import { RecoverSchema, RecoveryJobPageSchema, RecoveryJobPath, RecoveryJobViewSchema } from './recovery.dto';

const tag = 'Replay and recovery';

/** The OpenAPI description of recovery jobs (README, "Replay and recovery"). */
export const RecoveryDocs = {
  recover: {
    tag,
    summary: 'Recover what an endpoint missed',
    description:
      'Resends the endpoint’s deliveries created in [since, until) with one of `statuses` (default `dead`), each as a replay. A dry run answers how many it would resend; a real run creates a recovery job that survives restarts, is paced by `HOOKLINE_RECOVERY_RATE` or the endpoint’s rate limit, and can be cancelled.',
    params: EndpointPath,
    body: RecoverSchema,
    bodyExample: { since: '2026-11-29T02:00:00Z', statuses: ['dead'], dryRun: true },
    responses: {
      200: { description: 'a dry run: how many deliveries a job would resend now', schema: z.object({ count: z.number().int() }) },
      202: { description: 'the recovery job, queued', schema: RecoveryJobViewSchema },
    },
    errors: { 409: 'the endpoint is disabled: enable it first' },
  },
  list: {
    tag,
    summary: "List a tenant's recovery jobs",
    params: TenantParam,
    query: ListQuerySchema.strict(),
    responses: { 200: { description: 'a page of jobs, newest first', schema: RecoveryJobPageSchema } },
  },
  get: {
    tag,
    summary: 'Get a recovery job with its progress',
    params: RecoveryJobPath,
    query: TenantQuery,
    responses: { 200: { description: 'the job', schema: RecoveryJobViewSchema } },
  },
  cancel: {
    tag,
    summary: 'Cancel a recovery job',
    description: 'A queued or running job stops before its next page; what it already resent stays sent.',
    params: RecoveryJobPath,
    query: TenantQuery,
    responses: { 200: { description: 'the job, cancelled', schema: RecoveryJobViewSchema } },
    errors: { 409: 'the job already finished (`recovery_job_finished`)' },
  },
} satisfies Record<string, RouteDoc>;
