import { useQueries, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { everyPage, usePagedList } from '../../ui/paging';
import { api, unwrap, type BodyOf, type ResponseOf } from '../../api/client';
import { type ContractOption, type EndpointOption, type FieldOption } from './rule-model';
import { fieldsFromSchema, mergeFields, patternMatches } from './schema-fields';

export type RulesPageAnswer = ResponseOf<'/v1/tenants/{tenantId}/rules', 'get'>;
export type TrialBody = BodyOf<'/v1/tenants/{tenantId}/rules/{id}/trial', 'post'>;
export type TrialResult = ResponseOf<'/v1/tenants/{tenantId}/rules/{id}/trial', 'post'>;
type Endpoint = ResponseOf<'/v1/tenants/{tenantId}/endpoints', 'get'>['data'][number];

/** Every key starts with the tenant, so a tenant switch never shows another tenant's rules, endpoints or catalog. */
export const rulesKeys = {
  all: (tenantId: string) => ['rules', tenantId] as const,
  list: (tenantId: string) => ['rules', tenantId, 'list'] as const,
  one: (tenantId: string, id: string) => ['rules', tenantId, 'rule', id] as const,
  catalog: (tenantId: string) => ['rules', tenantId, 'catalog'] as const,
  eventType: (tenantId: string, name: string) => ['rules', tenantId, 'event-type', name] as const,
  endpoints: (tenantId: string) => ['rules', tenantId, 'endpoints'] as const,
  contracts: (tenantId: string) => ['rules', tenantId, 'contracts'] as const,
};

export function useRuleList(tenantId: string) {
  return usePagedList(rulesKeys.list(tenantId), (query) =>
    unwrap(api.GET('/v1/tenants/{tenantId}/rules', { params: { path: { tenantId }, query: { limit: 50, ...query } } })),
  );
}

export function useRule(tenantId: string, id: string | undefined) {
  return useQuery({
    queryKey: rulesKeys.one(tenantId, id ?? ''),
    queryFn: () => unwrap(api.GET('/v1/tenants/{tenantId}/rules/{id}', { params: { path: { tenantId, id: id ?? '' } } })),
    enabled: id !== undefined,
  });
}

/** The catalog's type names (`catalog:read`; none without it: the trigger then takes typed names). */
export function useCatalogNames(tenantId: string, enabled: boolean) {
  return useQuery({
    queryKey: rulesKeys.catalog(tenantId),
    queryFn: () => unwrap(api.GET('/v1/tenants/{tenantId}/event-types', { params: { path: { tenantId } } })).then((a) => a.data.map((t) => t.name)),
    enabled,
  });
}

/** Schemas read for a trigger at most: a wildcard over a large family offers the fields of its first types only. */
const MAX_SCHEMAS = 12;

/**
 * The `data` fields the trigger's types declare (a wildcard stands for the
 * catalog types it matches), and an example event for trial runs.
 */
export function useTriggerSchemas(tenantId: string, patterns: string[], catalog: string[], enabled: boolean) {
  const names = useMemo(() => {
    const out = new Set<string>();
    for (const p of patterns) {
      if (!p.includes('*')) out.add(p);
      else for (const name of catalog) if (patternMatches(p, name)) out.add(name);
    }
    return [...out].slice(0, MAX_SCHEMAS);
  }, [patterns, catalog]);
  const results = useQueries({
    queries: names.map((name) => ({
      queryKey: rulesKeys.eventType(tenantId, name),
      queryFn: () => unwrap(api.GET('/v1/tenants/{tenantId}/event-types/{name}', { params: { path: { tenantId, name } } })),
      enabled,
      // A type the catalog does not know is a 404: nothing to offer, nothing to retry.
      retry: false,
    })),
  });
  const types = results.map((r) => r.data);
  const key = types.map((t) => (t ? `${t.name}@${t.version}` : '-')).join(',');
  // Recomputed only when the schemas change: `key` names each one and its version.
  const fields: FieldOption[] = useMemo(() => mergeFields(types.map((t) => (t ? fieldsFromSchema(t.schema) : []))), [key]);
  // A trigger of wildcards only is tried with the first catalog type it matches (the API needs a type then).
  const firstExact = patterns.find((p) => !p.includes('*')) ?? names[0];
  const example = types.find((t) => t?.name === firstExact);
  return { fields, loading: results.some((r) => r.isLoading), example: example ? { type: example.name, data: example.example } : null };
}

function endpointLabel(e: Endpoint): string {
  const state = e.state.state === 'enabled' ? '' : ` [${e.state.state}]`;
  return `${e.description ? `${e.description} (${e.url})` : e.url}${state}`;
}

export function useEndpointOptions(tenantId: string, enabled: boolean) {
  return useQuery({
    queryKey: rulesKeys.endpoints(tenantId),
    queryFn: () =>
      everyPage((cursor) => unwrap(api.GET('/v1/tenants/{tenantId}/endpoints', { params: { path: { tenantId }, query: { limit: 100, cursor } } }))).then(
        (list) => list.map((e): EndpointOption => ({ id: e.id, label: endpointLabel(e), chatTool: e.chat?.tool ?? null })),
      ),
    enabled,
  });
}

export function useContractOptions(tenantId: string, enabled: boolean) {
  return useQuery({
    queryKey: rulesKeys.contracts(tenantId),
    queryFn: () =>
      everyPage((cursor) => unwrap(api.GET('/v1/tenants/{tenantId}/action-contracts', { params: { path: { tenantId }, query: { limit: 100, cursor } } }))).then(
        (list) => list.map((c): ContractOption => ({ id: c.id, name: c.name })),
      ),
    enabled,
  });
}
