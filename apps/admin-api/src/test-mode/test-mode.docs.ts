import type { RouteDoc } from '@hookline/service-kit';
import { EndpointPath } from '../endpoints/endpoint.dto';
import { PreviewSchema, PreviewViewSchema, TestAttemptViewSchema, TestSendSchema } from './test-mode.dto';

const tag = 'Test mode';

/** The OpenAPI description of test mode (README, "Test mode"). */
export const TestModeDocs = {
  preview: {
    tag,
    summary: 'Preview the exact request an endpoint would receive',
    description:
      'The body, every header and every signature that would be sent now, built by the code the dispatcher sends with, without any network call. `id`, `timestamp`, `occurredAt` and `nonce` reproduce a real delivery byte for byte.',
    params: EndpointPath,
    body: PreviewSchema,
    bodyExample: { type: 'invoice.paid', data: { invoiceId: 'inv_1', amount: 4200 } },
    responses: { 200: { description: 'the request', schema: PreviewViewSchema } },
    errors: {
      409: 'nothing can sign now (every secret expired; error `cannot_sign`)',
      500: 'a secret or key does not open with the master key (`key_unavailable`)',
    },
  },
  test: {
    tag,
    summary: 'Send one test delivery',
    description:
      'Sends one delivery marked `x-hookline-test: true`, signed with the endpoint’s real secrets, through the same SSRF-safe egress, and answers the attempt. Logged apart (`mode=test`), never retried, never counted in the endpoint’s health.',
    params: EndpointPath,
    body: TestSendSchema,
    bodyExample: { type: 'invoice.paid', data: { invoiceId: 'inv_1', amount: 4200 } },
    responses: { 200: { description: 'the attempt, whatever the endpoint answered', schema: TestAttemptViewSchema } },
    errors: { 409: 'nothing can sign now (`cannot_sign`)', 500: 'a secret or key does not open with the master key (`key_unavailable`)' },
  },
} satisfies Record<string, RouteDoc>;
