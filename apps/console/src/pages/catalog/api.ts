import { useQuery } from '@tanstack/react-query';
import { api, ApiError, unwrap, type BodyOf, type ResponseOf } from '../../api/client';

export type EventTypeSummary = ResponseOf<'/v1/tenants/{tenantId}/event-types', 'get'>['data'][number];
export type EventType = ResponseOf<'/v1/tenants/{tenantId}/event-types/{name}', 'get'>;
export type EventTypeVersion = ResponseOf<'/v1/tenants/{tenantId}/event-types/{name}/versions', 'get'>['data'][number];
export type CreateBody = BodyOf<'/v1/tenants/{tenantId}/event-types', 'post'>;
export type NewVersionBody = BodyOf<'/v1/tenants/{tenantId}/event-types/{name}', 'put'>;
export type SettingsBody = BodyOf<'/v1/tenants/{tenantId}/event-types/{name}', 'patch'>;
export type SchemaMode = EventType['schemaMode'];

/** The API's schema modes, spelled out; `satisfies` keeps them in step with the generated types. */
export const SCHEMA_MODES = [
  { value: 'off', label: 'off', hint: 'events are not checked' },
  { value: 'warn', label: 'warn', hint: 'an event that fails the schema is accepted and flagged in the log' },
  { value: 'enforce', label: 'enforce', hint: 'ingest refuses an event that fails the schema (422 schema_violation)' },
] as const satisfies readonly { value: SchemaMode; label: string; hint: string }[];

/** Every query of the catalog starts with the tenant, so a tenant switch never shows another tenant's types. */
export const catalogKeys = {
  all: (tenantId: string) => ['catalog', tenantId] as const,
  list: (tenantId: string) => ['catalog', tenantId, 'list'] as const,
  one: (tenantId: string, name: string) => ['catalog', tenantId, 'type', name] as const,
  versions: (tenantId: string, name: string) => ['catalog', tenantId, 'type', name, 'versions'] as const,
};

/** The whole catalog (built-in and custom, without schemas); small enough to filter in the browser. */
export function useEventTypes(tenantId: string, enabled = true) {
  return useQuery({
    queryKey: catalogKeys.list(tenantId),
    queryFn: () => unwrap(api.GET('/v1/tenants/{tenantId}/event-types', { params: { path: { tenantId } } })).then((answer) => answer.data),
    enabled,
  });
}

export function useEventType(tenantId: string, name: string | null) {
  return useQuery({
    queryKey: catalogKeys.one(tenantId, name ?? ''),
    queryFn: () => unwrap(api.GET('/v1/tenants/{tenantId}/event-types/{name}', { params: { path: { tenantId, name: name ?? '' } } })),
    enabled: Boolean(name),
  });
}

export function useEventTypeVersions(tenantId: string, name: string) {
  return useQuery({
    queryKey: catalogKeys.versions(tenantId, name),
    queryFn: () =>
      unwrap(api.GET('/v1/tenants/{tenantId}/event-types/{name}/versions', { params: { path: { tenantId, name } } })).then((answer) => answer.data),
  });
}

/** A family's name as people read it: `time_entries` → `time entries`. */
export function familyLabel(group: string): string {
  return group.replace(/_/g, ' ');
}

/** The example as editable JSON text (an empty object for a type that has none). */
export function exampleText(example: unknown): string {
  return JSON.stringify(example ?? {}, null, 2);
}

/** Whether a parsed JSON value is an object (what `data`, a schema and an example must be). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Every rule the API named under `field`, as one line for the input: the
 * example's violations come as JSON pointers (`/example/orderId`), the
 * schema's as `schema`.
 */
export function issueUnder(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const rules = error.issues
    .filter((i) => i.field === field || i.field === `/${field}` || i.field.startsWith(`${field}.`) || i.field.startsWith(`/${field}/`))
    .map((i) => (i.field === field || i.field === `/${field}` ? i.rule : `${i.field.slice(field.length + 1)}: ${i.rule}`));
  return rules.length > 0 ? rules.join('; ') : undefined;
}

/** A taken name is refused with a message alone (`event_type_exists`); named as an issue of `name`, it shows beside the Name input. */
export function withNameIssue(error: unknown): unknown {
  if (!(error instanceof ApiError) || error.code !== 'event_type_exists' || error.issues.length > 0) return error;
  return new ApiError(error.status, error.code, error.message, [{ field: 'name', rule: error.message }], error.body);
}
