import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './admin-api';

export type { components, paths };

type Json<R> = R extends { content: { 'application/json': infer J } } ? J : never;
type Operation<P extends keyof paths, M extends keyof paths[P]> = paths[P][M];

/** The JSON an operation answers with `status` (200 unless given), e.g. `ResponseOf<'/v1/api-keys/current', 'get'>`. */
export type ResponseOf<P extends keyof paths, M extends keyof paths[P], S extends number = 200> =
  Operation<P, M> extends { responses: infer R } ? (S extends keyof R ? Json<R[S]> : never) : never;

/** The JSON body an operation takes. */
export type BodyOf<P extends keyof paths, M extends keyof paths[P]> = Operation<P, M> extends { requestBody?: infer B } ? Json<NonNullable<B>> : never;

/** One field an API answer names, with the rule it broke (the API's error body, README "Errors"). */
export interface FieldIssue {
  field: string;
  rule: string;
}

/** An API refusal as the console shows it: status, code, message and the fields concerned. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: FieldIssue[] = [],
    readonly body: unknown = undefined,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The rule broken by `field` (or a field under it), for an inline message beside that input. */
  issueFor(field: string): string | undefined {
    return this.issues.find((i) => i.field === field || i.field.startsWith(`${field}.`) || i.field.startsWith(`${field}[`))?.rule;
  }
}

let currentKey: string | null = null;

/** The key every call carries; set by sign-in, cleared by sign-out. Never put in a URL. */
export function setApiKey(key: string | null): void {
  currentKey = key;
}

let unauthorized: (() => void) | null = null;

/** What to do when admin-api answers 401 to a call made with a key: it was revoked, or never existed. */
export function onUnauthorized(handler: (() => void) | null): void {
  unauthorized = handler;
}

const auth: Middleware = {
  onRequest({ request }) {
    if (currentKey) request.headers.set('Authorization', `Bearer ${currentKey}`);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401 && currentKey) unauthorized?.();
    return response;
  },
};

/** admin-api, typed from its OpenAPI document: same origin, so no CORS and no URL to configure. */
export const api = createClient<paths>({ baseUrl: window.location.origin });
api.use(auth);

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a 2xx answer, or an ApiError carrying the API's own message and field issues. */
export async function unwrap<T>(call: Promise<Answer<T>>): Promise<T> {
  let answer: Answer<T>;
  try {
    answer = await call;
  } catch (error) {
    throw new ApiError(0, 'network_error', `admin-api could not be reached (${(error as Error).message})`);
  }
  if (answer.response.ok) return answer.data as T;
  throw toApiError(answer.response.status, answer.error);
}

export function toApiError(status: number, body: unknown): ApiError {
  const b = (body ?? {}) as { error?: unknown; message?: unknown; issues?: unknown };
  const issues = Array.isArray(b.issues) ? (b.issues as FieldIssue[]).filter((i) => typeof i?.field === 'string') : [];
  const message = typeof b.message === 'string' ? b.message : `admin-api answered ${status}`;
  return new ApiError(status, typeof b.error === 'string' ? b.error : 'error', message, issues, body);
}
