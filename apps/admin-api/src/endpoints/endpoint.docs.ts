import type { RouteDoc } from '@hookline/service-kit';
import {
  CreateEndpointSchema,
  EndpointPageSchema,
  EndpointPath,
  EndpointSecretsSchema,
  EndpointViewSchema,
  EndpointWithSecretSchema,
  ListQuerySchema,
  RotatedEndpointSchema,
  RotateSecretSchema,
  TenantParam,
  UpdateEndpointSchema,
} from './endpoint.dto';

const tag = 'Endpoints';

/** The OpenAPI description of each endpoint route (README, "APIs"). */
export const EndpointDocs = {
  create: {
    tag,
    summary: 'Create an endpoint',
    description: 'Saves an endpoint and answers it with its first signing secret. Deliveries start with the next event accepted.',
    params: TenantParam,
    body: CreateEndpointSchema,
    bodyExample: { url: 'https://example.com/webhooks', eventTypes: ['invoice.*'], retryPolicy: { delays: ['1s', '5s', '30s', '5m', '30m', '2h'] } },
    responses: { 201: { description: 'the endpoint, with its secret', schema: EndpointWithSecretSchema } },
    errors: { 422: 'the URL is not an allowed target (a private or loopback address, a port that is not allowed)' },
  },
  list: {
    tag,
    summary: "List a tenant's endpoints",
    params: TenantParam,
    query: ListQuerySchema,
    responses: { 200: { description: 'a page of endpoints, oldest first', schema: EndpointPageSchema } },
  },
  get: { tag, summary: 'Get an endpoint', params: EndpointPath, responses: { 200: { description: 'the endpoint', schema: EndpointViewSchema } } },
  secret: {
    tag,
    summary: "Read an endpoint's signing secrets",
    description: 'The secrets that sign right now, newest last (more than one during a rotation overlap). Reading them takes the write scope.',
    params: EndpointPath,
    responses: { 200: { description: 'the secrets', schema: EndpointSecretsSchema } },
  },
  rotateSecret: {
    tag,
    summary: "Rotate an endpoint's signing secret",
    description: 'Adds a new secret; the previous ones keep signing beside it for `overlapHours` (default 24), so receivers can switch without a gap.',
    params: EndpointPath,
    body: RotateSecretSchema,
    bodyExample: { overlapHours: 24 },
    responses: { 201: { description: 'the endpoint, with its new secret', schema: RotatedEndpointSchema } },
  },
  update: {
    tag,
    summary: 'Change an endpoint',
    description: 'Changes the fields given; the change applies to deliveries of events accepted after it.',
    params: EndpointPath,
    body: UpdateEndpointSchema,
    bodyExample: { eventTypes: ['invoice.*', 'customer.*'], timeoutMs: 5000 },
    responses: { 200: { description: 'the endpoint as changed', schema: EndpointViewSchema } },
    errors: { 422: 'the URL is not an allowed target' },
  },
  remove: {
    tag,
    summary: 'Delete an endpoint',
    description: 'No further delivery is made to it; pending retries end as dead.',
    params: EndpointPath,
    responses: { 204: { description: 'deleted' } },
  },
} satisfies Record<string, RouteDoc>;
