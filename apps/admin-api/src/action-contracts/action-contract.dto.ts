import { TenantIdSchema } from '@hookline/contracts';
import { z } from 'zod';
import { pageOf } from '../http/page';
import type { ContractRow, InvocationRow } from './action-contract.ports';

/** The methods a contract may call with; the input is the JSON body of each. */
export const CONTRACT_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;
/** The schemes a contract's request is signed with: those of a delivery that sign with a secret. */
export const CONTRACT_SCHEMES = ['v1', 'hookline-v1'] as const;

const JSON_SCHEMA = (what: string) =>
  z
    .record(z.string(), z.unknown(), { error: `must be a JSON Schema (2020-12) object for the ${what}` })
    .meta({ description: `JSON Schema 2020-12 of the ${what}` });

/**
 * An action contract as the API takes it (README, "Action contracts"): an
 * operation of the tenant's backend Hookline may call, what it takes and
 * answers, how long it may take, and who may call it.
 */
export const ContractFieldsSchema = z
  .object({
    name: z
      .string('must be a string')
      .regex(/^[a-z0-9][a-z0-9_.-]{0,99}$/, 'must be 1-100 lowercase letters, digits, "_", "." or "-", e.g. "tickets.escalate"'),
    description: z.string().max(1024, 'must be at most 1024 characters').default(''),
    url: z.string().max(2048, 'must be at most 2048 characters').url('must be an absolute URL'),
    method: z.enum(CONTRACT_METHODS, { error: `must be one of ${CONTRACT_METHODS.join(', ')}` }).default('POST'),
    inputSchema: JSON_SCHEMA('input'),
    outputSchema: JSON_SCHEMA('output').nullable().default(null),
    timeoutMs: z.number('must be a number').int('must be an integer').min(1000, 'must be 1000-30000 ms').max(30_000, 'must be 1000-30000 ms').default(10_000),
    /** Roles of which a caller's API key must hold one (none listed: any key with `actions:invoke`). */
    allowedRoles: z
      .array(z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'must be a role name: 1-64 lowercase letters, digits, "_", "." or "-"'))
      .max(20, 'must list at most 20 roles')
      .default([]),
    signatureSchemes: z
      .array(z.enum(CONTRACT_SCHEMES, { error: `must be one of ${CONTRACT_SCHEMES.join(', ')}` }))
      .min(1, 'must list at least one signature scheme')
      .refine((s) => new Set(s).size === s.length, 'must not list a scheme twice')
      .default(['v1']),
  })
  .strict();
export type ContractFields = z.infer<typeof ContractFieldsSchema>;

export const ContractParams = z.object({ tenantId: TenantIdSchema, id: z.uuid('must be an action contract id (a UUID)') });
export const ContractListQuery = z.object({
  limit: z.coerce.number().int().min(1, 'must be 1-100').max(100, 'must be 1-100').default(50),
  cursor: z.string().optional().meta({ description: 'the `nextCursor` of the previous page' }),
});

export const ContractViewSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  name: z.string(),
  description: z.string(),
  url: z.string(),
  method: z.enum(CONTRACT_METHODS),
  inputSchema: z.record(z.string(), z.unknown()),
  outputSchema: z.record(z.string(), z.unknown()).nullable(),
  timeoutMs: z.number().int(),
  allowedRoles: z.array(z.string()),
  signatureSchemes: z.array(z.enum(CONTRACT_SCHEMES)),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const ContractPageSchema = pageOf(ContractViewSchema);
export const ContractWithSecretSchema = ContractViewSchema.extend({
  secret: z
    .string()
    .meta({ description: 'whsec_…: what the backend verifies each request with (as a delivery’s receiver does); shown at creation and by GET …/secret' }),
});
export const ContractSecretSchema = z.object({ secret: z.string() });

export function toContractView(c: ContractRow): z.output<typeof ContractViewSchema> {
  const { id, tenantId, name, description, url, method, inputSchema, outputSchema, timeoutMs, allowedRoles, signatureSchemes, version } = c;
  return {
    id,
    tenantId,
    name,
    description,
    url,
    method,
    inputSchema,
    outputSchema,
    timeoutMs,
    allowedRoles,
    signatureSchemes,
    version,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

/** `POST …/action-contracts/:id/invoke`: the input, checked against the contract's input schema. */
export const InvokeSchema = z.object({ input: z.unknown().refine((v) => v !== undefined, 'is required (the JSON the contract takes)') }).strict();

export const InvocationResultSchema = z.object({
  invocationId: z.string().meta({ description: 'also the request’s webhook-id; the same for a retry with the same Idempotency-Key' }),
  contractId: z.string(),
  status: z.number().int().meta({ description: 'the backend’s HTTP status (2xx)' }),
  output: z.unknown().meta({ description: 'the backend’s JSON answer (validated against the output schema when there is one); null for an empty answer' }),
  durationMs: z.number().int(),
});

export const InvocationViewSchema = z.object({
  id: z.string(),
  contractId: z.string(),
  contractVersion: z.number().int(),
  caller: z.string().meta({ description: 'the API key id (`bootstrap` for the admin token), or `rule:<rule id>/<action key>`' }),
  origin: z.enum(['api', 'rule', 'trial']),
  inputDigest: z.string().meta({ description: 'sha256:<hex> of the input as sent (canonical JSON); the input itself is not kept' }),
  status: z.enum(['succeeded', 'failed', 'refused']),
  httpStatus: z.number().int().nullable(),
  error: z
    .string()
    .nullable()
    .meta({ description: 'why it failed or was refused: forbidden, input_invalid, backend_failed, backend_timeout, backend_unreachable, output_invalid' }),
  durationMs: z.number().int(),
  attempts: z.number().int(),
  idempotencyKey: z.string().nullable(),
  eventId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const InvocationPageSchema = pageOf(InvocationViewSchema);
export const InvocationListQuery = ContractListQuery;

export function toInvocationView(r: InvocationRow): z.output<typeof InvocationViewSchema> {
  return { ...r, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString() };
}
