import { z } from 'zod';
import { EndpointIdSchema, TenantIdSchema } from '../ids/ids';
import { MessagesDeadLetteredTopic } from './messages-dead-lettered.topic';
import { defineTopic } from './topic-contract';

/**
 * The retry-scheduler asks for an endpoint to be disabled: it answered
 * `410 Gone` (`gone`), or its run of failed deliveries reached its
 * `disableAfterFailures` (`failure_threshold`). admin-api applies it only if
 * the endpoint is still enabled at a state version no newer than
 * `endpointVersion`, so a request that arrives after an operator re-enabled
 * the endpoint changes nothing.
 */
export const EndpointDisableRequestSchema = z.object({
  endpointId: EndpointIdSchema,
  tenantId: TenantIdSchema,
  cause: z.enum(['gone', 'failure_threshold']),
  /** A sentence for a human, carried into the endpoint's state and its `endpoint.disabled` event. */
  reason: z.string(),
  /** The endpoint's config version the deciding attempt was made with. */
  endpointVersion: z.number().int(),
  at: z.string(),
});
export type EndpointDisableRequest = z.infer<typeof EndpointDisableRequestSchema>;

export const EndpointsDisableRequestedTopic = defineTopic({
  name: 'hookline.endpoints.disable-requested.v1',
  schema: EndpointDisableRequestSchema,
  key: (r) => r.endpointId,
  deadLetterTopic: MessagesDeadLetteredTopic,
  description: 'automatic disables (410 Gone, failure threshold) decided by retry-scheduler; applied by admin-api',
});
