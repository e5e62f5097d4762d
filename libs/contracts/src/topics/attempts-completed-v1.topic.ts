import { z } from 'zod';
import { AttemptIdSchema } from '../ids/ids';
import { requestIdentity, RESULT_SHAPES, type AttemptOutcome } from './attempts-completed.topic';
import { DeliveryRequestSchema } from './deliveries-requested.topic';
import { MessagesDeadLetteredTopic } from './messages-dead-lettered.topic';
import { defineTopic } from './topic-contract';

// The first form of the attempt outcome: every outcome repeats the whole
// request, event payload included. Nothing produces it any more; its readers
// (retry-scheduler, log-store) keep reading it so that outcomes left on the
// topic at an upgrade are logged and retried (libs/contracts README, "Attempt outcomes").

const V1Fields = {
  attemptId: AttemptIdSchema,
  request: DeliveryRequestSchema,
  url: z.string(),
  requestHeaders: z.record(z.string(), z.string()),
  startedAt: z.string(),
  durationMs: z.number(),
  retrySchedule: z.array(z.number().int().nonnegative()).optional(),
};

const AttemptSucceededV1Schema = z.object({ ...V1Fields, ...RESULT_SHAPES.succeeded });
const AttemptRefusedV1Schema = z.object({ ...V1Fields, ...RESULT_SHAPES.refused });
const AttemptUnansweredV1Schema = z.object({ ...V1Fields, ...RESULT_SHAPES.unanswered });

/** An outcome as `hookline.attempts.completed.v1` carried it: the v2 fields, with the whole request on every outcome. */
export const AttemptOutcomeV1Schema = z.union([AttemptSucceededV1Schema, AttemptRefusedV1Schema, AttemptUnansweredV1Schema]);
export type AttemptOutcomeV1 = z.infer<typeof AttemptOutcomeV1Schema>;

export const AttemptsCompletedV1Topic = defineTopic({
  name: 'hookline.attempts.completed.v1',
  schema: AttemptOutcomeV1Schema,
  key: (outcome) => outcome.request.endpointId,
  deadLetterTopic: MessagesDeadLetteredTopic,
  description: 'attempt outcomes in their first form (whole request on every outcome); read, no longer produced',
});

/** A v1 outcome in the form Hookline works with (v2): a failure keeps its request (the retry is issued from it), a success drops it. */
export function outcomeFromV1(v1: AttemptOutcomeV1): AttemptOutcome {
  const { request, ...rest } = v1;
  const common = requestIdentity(request);
  return rest.succeeded ? { ...rest, ...common } : { ...rest, ...common, request };
}
