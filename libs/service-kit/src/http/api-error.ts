import { formatIssues, type FieldIssue } from '@hookline/contracts';

/**
 * An error a use case reports to an API caller, independent of HTTP
 * frameworks: a status, a stable code, a message, and the fields concerned.
 * `ErrorBodyFilter` writes it as the one error body of both public APIs.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: FieldIssue[],
    /** Further fields of the body (e.g. `missingScope`). */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** 400: the request breaks the rules named by `issues`. */
export const validationFailed = (issues: FieldIssue[]) => new ApiError(400, 'validation_failed', formatIssues(issues), issues);

/** 404: the resource does not exist for this caller (another tenant's resources included). */
export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found`);

/** 409: the request conflicts with the resource's current state. */
export const conflict = (code: string, message: string) => new ApiError(409, code, message);

/** 422: the request is well-formed but cannot be carried out, because of `field`. */
export const unprocessable = (code: string, field: string, rule: string) => new ApiError(422, code, `${field}: ${rule}`, [{ field, rule }]);
