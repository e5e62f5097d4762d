import type { RouteDoc } from '@hookline/service-kit';
import { z } from 'zod';
import { TenantParam } from '../endpoints/endpoint.dto';
import {
  ContractFieldsSchema,
  ContractListQuery,
  ContractPageSchema,
  ContractParams,
  ContractSecretSchema,
  ContractViewSchema,
  ContractWithSecretSchema,
  InvocationListQuery,
  InvocationPageSchema,
  InvocationResultSchema,
  InvokeSchema,
} from './action-contract.dto';

const tag = 'Action contracts';

const example = {
  name: 'tickets.escalate',
  description: 'Escalate a ticket to the on-call engineer',
  url: 'https://api.example.com/hookline/tickets/escalate',
  method: 'POST',
  inputSchema: {
    type: 'object',
    properties: { ticketId: { type: 'string' }, reason: { type: 'string', maxLength: 500 } },
    required: ['ticketId', 'reason'],
    additionalProperties: false,
  },
  outputSchema: { type: 'object', properties: { escalationId: { type: 'string' } }, required: ['escalationId'] },
  timeoutMs: 5000,
  allowedRoles: ['support-lead'],
};

/** The OpenAPI description of the action-contract routes (README, "Action contracts"). */
export const ActionContractDocs = {
  create: {
    tag,
    summary: 'Declare an action contract',
    description:
      'An operation of the tenant’s backend Hookline may call: URL, method, input and output JSON Schemas (2020-12), timeout, and the roles allowed to invoke it. The answer carries the signing secret the backend verifies requests with.',
    params: TenantParam,
    body: ContractFieldsSchema,
    bodyExample: example,
    responses: { 201: { description: 'the contract, with its signing secret', schema: ContractWithSecretSchema } },
    errors: { 409: 'the tenant already has a contract of that name (`name_taken`)', 422: 'a URL Hookline must never call (`target_refused`)' },
  },
  list: {
    tag,
    summary: "List a tenant's action contracts",
    params: TenantParam,
    query: ContractListQuery,
    responses: { 200: { description: 'a page of contracts, oldest first', schema: ContractPageSchema } },
  },
  get: { tag, summary: 'Get an action contract', params: ContractParams, responses: { 200: { description: 'the contract', schema: ContractViewSchema } } },
  replace: {
    tag,
    summary: 'Replace an action contract',
    description: 'The whole contract, as for creation; the next `version`. Its signing secret is kept.',
    params: ContractParams,
    body: ContractFieldsSchema,
    bodyExample: example,
    responses: { 200: { description: 'the contract as saved', schema: ContractViewSchema } },
    errors: { 409: 'another contract of the tenant has that name', 422: 'as for creation' },
  },
  remove: { tag, summary: 'Delete an action contract', params: ContractParams, responses: { 204: { description: 'deleted: it can be invoked no more' } } },
  secret: {
    tag,
    summary: 'Read an action contract’s signing secret',
    params: ContractParams,
    responses: { 200: { description: 'the secret the backend verifies with', schema: ContractSecretSchema } },
  },
  invoke: {
    tag,
    summary: 'Invoke an action contract',
    description:
      'Checks the caller’s roles and the input against the input schema, sends one signed request (the `v1`/`hookline-v1` schemes of a delivery, with the contract’s secret; `webhook-id` = the invocation id) through the SSRF-safe egress, and answers with the backend’s JSON output, checked against the output schema. With an `Idempotency-Key`, a retry of the same request gets the stored answer, and after a failure reaches the backend again under the same invocation id and `Idempotency-Key`. Every invocation is audited.',
    params: ContractParams,
    headers: z.object({ 'idempotency-key': z.string().optional().meta({ description: 'forwarded to the backend as its own Idempotency-Key' }) }),
    body: InvokeSchema,
    bodyExample: { input: { ticketId: 'T-1002', reason: 'VIP customer, SSO down' } },
    responses: { 200: { description: 'the backend answered 2xx', schema: InvocationResultSchema } },
    errors: {
      403: 'the API key holds none of the contract’s `allowedRoles` (`forbidden`)',
      422: 'the input breaks the input schema (`input_invalid`, each violation a JSON pointer under `/input`)',
      502: 'the backend answered non-2xx (`backend_failed`), could not be reached (`backend_unreachable`), or answered what the output schema refuses (`output_invalid`)',
      504: 'the backend did not answer within the contract’s timeout (`backend_timeout`)',
    },
  },
  invocations: {
    tag,
    summary: 'List an action contract’s invocations',
    description: 'The audit, newest first: who, when, a digest of the input, what came of it, how long it took.',
    params: ContractParams,
    query: InvocationListQuery,
    responses: { 200: { description: 'a page of invocations, newest first', schema: InvocationPageSchema } },
  },
} satisfies Record<string, RouteDoc>;
