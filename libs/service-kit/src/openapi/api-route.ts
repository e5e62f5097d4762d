import { SetMetadata } from '@nestjs/common';
import type { z } from 'zod';

/** One answer of a route: what it means, its body's schema (JSON unless `contentType` says otherwise), an example. */
export interface ResponseDoc {
  description: string;
  schema?: z.ZodType;
  example?: unknown;
  contentType?: string;
}

/**
 * What the OpenAPI document says of a route, beside the route itself. The
 * schemas are the ones the handler validates its input with, so the document
 * and the validation cannot drift apart; the responses' schemas type the
 * handler's views. A route's scope, and whether it is under a tenant, are read
 * from its `@RequireScope`, never repeated here.
 */
export interface RouteDoc {
  summary: string;
  description?: string;
  tag: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** Request headers the route reads (beyond Authorization), e.g. `Idempotency-Key`. */
  headers?: z.ZodObject;
  body?: z.ZodType;
  /** False when the route takes no body as well (default true). */
  bodyRequired?: boolean;
  bodyExample?: unknown;
  responses: Record<number, ResponseDoc>;
  /**
   * Error answers particular to the route, by status: when each happens. The
   * ones every route may give are added by the document: 400 for a route with
   * input, 401 and 403 for one with a scope, 404 for one under a tenant or an
   * id, and 503 when a dependency is down.
   */
  errors?: Record<number, string>;
}

export const API_ROUTE = Symbol('API_ROUTE');

/** Describes a route in the service's OpenAPI document (`/docs`). */
export const ApiRoute = (doc: RouteDoc) => SetMetadata(API_ROUTE, doc);

/** Keeps a route out of the document: the documentation's own routes. */
export const API_EXCLUDED = Symbol('API_EXCLUDED');
export const ApiExcluded = () => SetMetadata(API_EXCLUDED, true);
