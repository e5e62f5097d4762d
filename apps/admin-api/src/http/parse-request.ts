import { describeIssues } from '@hookline/contracts';
import { validationFailed } from '@hookline/service-kit';
import type { z } from 'zod';

/** Parses a request body, query or path with a schema; a 400 names every bad field and its rule. */
export function parseRequest<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  throw validationFailed(describeIssues(result.error));
}
