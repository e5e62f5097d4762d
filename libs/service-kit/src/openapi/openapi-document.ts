import { z } from 'zod';
import type { ResponseDoc, RouteDoc } from './api-route';
import type { DiscoveredRoute } from './route-catalog';

export interface ApiInfo {
  title: string;
  version: string;
  description: string;
}

/** Options of the document beyond its info. */
export interface DocumentOptions {
  /** The service's writes take `Idempotency-Key` (libs/idempotency): each write route documents the header and its answers. */
  idempotentWrites: boolean;
}

const WRITES = new Set(['post', 'put', 'patch', 'delete']);

const IDEMPOTENCY_KEY = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes the write safe to retry: a repeat within 24 h with the same key and request answers the stored first answer (`Idempotent-Replayed: true`).',
  schema: { type: 'string', minLength: 1, maxLength: 255 },
};

const IDEMPOTENCY_ERRORS: Record<number, string> = {
  409: 'a request with the same `Idempotency-Key` is still running (error `idempotency_key_in_flight`, `Retry-After: 1`)',
  422: 'the `Idempotency-Key` was used for a different request (error `idempotency_key_reused`)',
};

/** The one error body of Hookline's APIs (README, "Errors"). */
export const ErrorBodySchema = z
  .object({
    error: z.string().meta({ description: 'a stable snake_case code, e.g. validation_failed, not_found, unavailable' }),
    message: z.string(),
    issues: z.array(z.object({ field: z.string(), rule: z.string() })).optional(),
  })
  .catchall(z.unknown());

type JsonSchema = Record<string, unknown>;
type Io = 'input' | 'output';

/** JSON Schema 2020-12 of a zod schema, as OpenAPI 3.1 embeds it: for `input`, what a request may send (defaults make fields optional). */
export function jsonSchemaOf(schema: z.ZodType, io: Io): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any', reused: 'inline' }) as JsonSchema;
  return rest;
}

const ERROR_REF = { $ref: '#/components/schemas/Error' };

const COMMON_ERRORS: Record<number, string> = {
  400: 'the input breaks a rule: `issues` names each field and its rule (error `validation_failed`)',
  401: 'missing, invalid or revoked API key in the Authorization header',
  403: 'the API key lacks the scope this route requires (`missingScope` names it)',
  404: 'not found; another tenant’s resources are not found either',
  503: 'a service Hookline depends on (PostgreSQL, Kafka) is unavailable; retry after `Retry-After` seconds',
};

function parametersOf(schema: z.ZodObject | undefined, location: 'path' | 'query' | 'header'): JsonSchema[] {
  if (!schema) return [];
  const json = jsonSchemaOf(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...propertySchema } = property;
    return {
      name,
      in: location,
      required: location === 'path' || required.has(name),
      ...(description ? { description } : {}),
      schema: propertySchema,
    };
  });
}

function responseOf(doc: ResponseDoc): JsonSchema {
  if (!doc.schema) return { description: doc.description };
  const media = { schema: jsonSchemaOf(doc.schema, 'output'), ...(doc.example === undefined ? {} : { example: doc.example }) };
  return { description: doc.description, content: { [doc.contentType ?? 'application/json']: media } };
}

/** The error statuses a route may answer: the route's own, and those every route of its kind gives. */
function errorsOf(route: DiscoveredRoute, doc: RouteDoc, idempotent: boolean): Record<number, string> {
  const errors: Record<number, string> = {};
  if (doc.params || doc.query || doc.body || doc.headers || idempotent) errors[400] = COMMON_ERRORS[400];
  if (idempotent) Object.assign(errors, IDEMPOTENCY_ERRORS);
  if (route.scope) Object.assign(errors, { 401: COMMON_ERRORS[401], 403: COMMON_ERRORS[403] });
  if (route.scope?.tenants || route.path.includes('{')) errors[404] = COMMON_ERRORS[404];
  errors[503] = COMMON_ERRORS[503];
  // A route's own words for a status come first; the shared ones fill the rest.
  const merged: Record<number, string> = { ...errors };
  for (const [status, when] of Object.entries(doc.errors ?? {}))
    merged[Number(status)] = errors[Number(status)] ? `${when}; or ${errors[Number(status)]}` : when;
  return merged;
}

function operationOf(route: DiscoveredRoute, doc: RouteDoc, options: DocumentOptions): JsonSchema {
  const scope = route.scope?.scope;
  // Idempotency keys are scoped to the caller: only routes with an API key take them.
  const idempotent = options.idempotentWrites && WRITES.has(route.method) && scope !== undefined;
  const needs = scope === 'any' ? 'Takes any live API key.' : scope ? `Requires an API key with the scope \`${scope}\` (or \`admin\`).` : 'Needs no API key.';
  const description = [doc.description, needs].filter(Boolean).join('\n\n');
  const responses: Record<string, JsonSchema> = {};
  for (const [status, response] of Object.entries(doc.responses)) responses[status] = responseOf(response);
  for (const [status, when] of Object.entries(errorsOf(route, doc, idempotent)))
    responses[status] ??= { description: when, content: { 'application/json': { schema: ERROR_REF } } };
  return {
    operationId: `${route.handler}${route.controller.replace(/Controller$/, '')}`,
    summary: doc.summary,
    description,
    tags: [doc.tag],
    ...(scope ? { security: [{ apiKey: [] }], 'x-hookline-scope': scope } : { security: [] }),
    parameters: [
      ...parametersOf(doc.params, 'path'),
      ...parametersOf(doc.query, 'query'),
      ...parametersOf(doc.headers, 'header'),
      ...(idempotent ? [IDEMPOTENCY_KEY] : []),
    ],
    ...(doc.body
      ? {
          requestBody: {
            required: doc.bodyRequired ?? true,
            content: {
              'application/json': { schema: jsonSchemaOf(doc.body, 'input'), ...(doc.bodyExample === undefined ? {} : { example: doc.bodyExample }) },
            },
          },
        }
      : {}),
    responses,
  };
}

/**
 * The OpenAPI 3.1 document of a service, from its routes: each documented
 * route's schemas (the ones its handler validates with) turned into JSON
 * Schema 2020-12 by zod itself, its scope from `@RequireScope`, and the error
 * answers it may give. Routes without an `@ApiRoute` are left out (a test of
 * each service fails on them); `@ApiExcluded` ones are left out on purpose.
 */
export function openApiDocument(info: ApiInfo, routes: DiscoveredRoute[], options: DocumentOptions): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    if (route.excluded || !route.doc) continue;
    (paths[route.path] ??= {})[route.method] = operationOf(route, route.doc, options);
  }
  const sorted = Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b)));
  return {
    openapi: '3.1.0',
    info,
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths: sorted,
    components: {
      schemas: { Error: jsonSchemaOf(ErrorBodySchema, 'output') },
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'A Hookline API key (`hl_<tenant or global>_…`), or the bootstrap admin token `HOOKLINE_ADMIN_TOKEN`',
        },
      },
    },
  };
}
