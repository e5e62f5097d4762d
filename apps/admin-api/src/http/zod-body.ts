import { BadRequestException } from '@nestjs/common';
import { describeIssues, formatIssues } from '@hookline/contracts';
import type { z } from 'zod';

/** Parses a request body or query with a schema; a 400 names every bad field and its rule. */
export function parseRequest<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issues = describeIssues(result.error);
  throw new BadRequestException({ error: 'validation_failed', message: formatIssues(issues), issues });
}
