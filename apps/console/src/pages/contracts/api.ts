import { ApiError, type BodyOf, type ResponseOf } from '../../api/client';

export type Contract = ResponseOf<'/v1/tenants/{tenantId}/action-contracts/{id}', 'get'>;
export type ContractBody = BodyOf<'/v1/tenants/{tenantId}/action-contracts', 'post'>;
export type CreatedContract = ResponseOf<'/v1/tenants/{tenantId}/action-contracts', 'post', 201>;
export type Invocation = ResponseOf<'/v1/tenants/{tenantId}/action-contracts/{id}/invocations', 'get'>['data'][number];
export type InvokeAnswer = ResponseOf<'/v1/tenants/{tenantId}/action-contracts/{id}/invoke', 'post'>;
export type Method = NonNullable<ContractBody['method']>;
export type Scheme = NonNullable<ContractBody['signatureSchemes']>[number];

/** The API's enums, spelled out for selects and checkboxes; `satisfies` keeps them in step with the generated types. */
export const METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'] as const satisfies readonly Method[];
export const SCHEMES = [
  { value: 'v1', label: 'v1 (Standard Webhooks)', hint: 'signs {id}.{timestamp}.{body}; any Standard Webhooks library verifies it' },
  { value: 'hookline-v1', label: 'hookline-v1', hint: 'also signs a nonce and the path, for backends that refuse replays' },
] as const satisfies readonly { value: Scheme; label: string; hint: string }[];

/** Every query of these pages starts with the tenant, so a tenant switch never shows another tenant's contracts. */
export const contractKeys = {
  all: (tenantId: string) => ['action-contracts', tenantId] as const,
  one: (tenantId: string, id: string) => ['action-contracts', tenantId, id] as const,
  invocations: (tenantId: string, id: string) => ['action-contracts', tenantId, id, 'invocations'] as const,
};

/**
 * JSON typed into a textarea, parsed before anything is sent; a mistake is
 * reported as the API reports one (an issue on `field`), so it shows beside
 * that input like any other refusal.
 */
export function parseJson(text: string, field: string, { object = false } = {}): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const rule = `is not valid JSON (${(error as Error).message})`;
    throw new ApiError(400, 'invalid_json', `${field}: ${rule}`, [{ field, rule }]);
  }
  if (object && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    throw new ApiError(400, 'invalid_json', `${field}: must be a JSON object`, [{ field, rule: 'must be a JSON object' }]);
  }
  return value;
}
