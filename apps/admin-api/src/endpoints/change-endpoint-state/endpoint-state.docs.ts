import type { RouteDoc } from '@hookline/service-kit';
import { EndpointPath, EndpointViewSchema, StateChangeSchema } from '../endpoint.dto';

const route = (summary: string, description: string): RouteDoc => ({
  tag: 'Endpoints',
  summary,
  description: `${description} Asking for the state the endpoint is already in answers 200 and changes nothing (no event).`,
  params: EndpointPath,
  body: StateChangeSchema,
  bodyRequired: false,
  bodyExample: { reason: 'receiver maintenance until 14:00 UTC' },
  responses: { 200: { description: 'the endpoint in its new state, with who changed it and why', schema: EndpointViewSchema } },
  errors: { 409: 'the state machine refuses the move (error `invalid_state_transition`): resume undoes a pause only, enable undoes a disable only' },
});

/** The OpenAPI description of the endpoint state routes (README, "Endpoint states"). */
export const EndpointStateDocs = {
  pause: route(
    'Pause an endpoint',
    'Deliveries are held durably, counting against no retry budget, and flow in the order they were created once it is resumed. Emits `endpoint.paused`.',
  ),
  resume: route('Resume a paused endpoint', 'Releases what was held, in creation order. Emits `endpoint.resumed`.'),
  disable: route(
    'Disable an endpoint',
    'No new delivery is created for it; retries in flight end with the reason `endpoint_disabled`. Emits `endpoint.disabled`.',
  ),
  enable: route(
    'Enable a disabled endpoint',
    'Starts fresh: new events are delivered again and the run of failed deliveries starts from zero; a recovery job brings back what was missed. Emits `endpoint.enabled`.',
  ),
} satisfies Record<string, RouteDoc>;
