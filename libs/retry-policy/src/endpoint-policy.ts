import type { EndpointRetryPolicy } from '@hookline/contracts';
import { z } from 'zod';
import { formatDuration, parseDuration } from './schedule';

/** The longest an endpoint's policy may keep retrying: the sum of its waits, before jitter. */
export const MAX_RETRY_SPAN_MS = 7 * 24 * 3_600_000;
/** Each wait of an endpoint's policy: at least 1 s, so no policy hammers an endpoint. */
export const MIN_RETRY_DELAY_MS = 1000;
/** Attempts in all (the first included) an endpoint's policy may give a delivery. */
export const MAX_RETRY_ATTEMPTS = 50;

const durationRule = `must be a duration like "500ms", "5s", "2m" or "1h", from 1s to ${MAX_RETRY_SPAN_MS / 3_600_000}h`;
const Duration = z.string(durationRule).transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === null || ms < MIN_RETRY_DELAY_MS || ms > MAX_RETRY_SPAN_MS) {
    ctx.addIssue({ code: 'custom', message: durationRule });
    return z.NEVER;
  }
  return ms;
});

const spanRule = `must not add up to more than 7 days (${MAX_RETRY_SPAN_MS / 3_600_000}h) of waits`;

const DelaysInput = z
  .object({ delays: z.array(Duration, 'must be a list of durations').max(MAX_RETRY_ATTEMPTS - 1, `must list at most ${MAX_RETRY_ATTEMPTS - 1} delays`) })
  .strict()
  .transform((p, ctx): EndpointRetryPolicy => {
    if (sum(p.delays) > MAX_RETRY_SPAN_MS) ctx.addIssue({ code: 'custom', path: ['delays'], message: spanRule });
    return { delaysMs: p.delays };
  });

const ExponentialInput = z
  .object({
    initial: Duration,
    factor: z.number('must be a number').min(1, 'must be 1-10').max(10, 'must be 1-10'),
    maxDelay: Duration,
    attempts: z
      .number('must be a number')
      .int('must be an integer')
      .min(1, `must be 1-${MAX_RETRY_ATTEMPTS}`)
      .max(MAX_RETRY_ATTEMPTS, `must be 1-${MAX_RETRY_ATTEMPTS}`),
  })
  .strict()
  .transform((p, ctx): EndpointRetryPolicy => {
    const policy = { initialMs: p.initial, factor: p.factor, maxDelayMs: p.maxDelay, attempts: p.attempts };
    if (p.maxDelay < p.initial) ctx.addIssue({ code: 'custom', path: ['maxDelay'], message: 'must not be shorter than initial' });
    else if (sum(retryScheduleOf(policy)) > MAX_RETRY_SPAN_MS) ctx.addIssue({ code: 'custom', path: ['attempts'], message: spanRule });
    return policy;
  });

/**
 * An endpoint's `retryPolicy` as the admin API takes it, turned into the form
 * the endpoints topic carries: `{ delays: ["1s","5s"] }` (a wait after each
 * failed attempt) or `{ initial, factor, maxDelay, attempts }` (exponential;
 * `attempts` counts the first). The form is told by `delays`, so a bad field
 * is named within its own form (`retryPolicy.delays.2`); null is the default.
 */
export const RetryPolicyInputSchema = z
  .unknown()
  .transform((input, ctx): EndpointRetryPolicy | null => {
    if (input === null) return null;
    if (typeof input !== 'object' || Array.isArray(input)) {
      ctx.addIssue({ code: 'custom', message: 'must be null, { delays: [...] } or { initial, factor, maxDelay, attempts }' });
      return z.NEVER;
    }
    const parsed = ('delays' in input ? DelaysInput : ExponentialInput).safeParse(input);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues)
      ctx.addIssue({
        code: 'custom',
        path: issue.path,
        message: issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
      });
    return z.NEVER;
  })
  .meta({
    // Validated by hand above (so a bad field is named within its own form); described here for the OpenAPI document.
    description: 'null (the default schedule), a list of waits, or exponential waits; at most 7 days of waits in all',
    oneOf: [
      { type: 'null' },
      {
        type: 'object',
        properties: { delays: { type: 'array', items: { type: 'string', description: durationRule }, maxItems: MAX_RETRY_ATTEMPTS - 1 } },
        required: ['delays'],
        additionalProperties: false,
      },
      {
        type: 'object',
        properties: {
          initial: { type: 'string', description: durationRule },
          factor: { type: 'number', minimum: 1, maximum: 10 },
          maxDelay: { type: 'string', description: durationRule },
          attempts: { type: 'integer', minimum: 1, maximum: MAX_RETRY_ATTEMPTS },
        },
        required: ['initial', 'factor', 'maxDelay', 'attempts'],
        additionalProperties: false,
      },
    ],
  });

/** An endpoint's policy as the admin API shows it (`retryPolicyView`). */
export const RetryPolicyViewSchema = z.union([
  z.null(),
  z.object({ delays: z.array(z.string()) }),
  z.object({ initial: z.string(), factor: z.number(), maxDelay: z.string(), attempts: z.number().int() }),
]);

/** The waits of an endpoint's policy, in milliseconds: `schedule[k - 1]` after failed attempt k. */
export function retryScheduleOf(policy: EndpointRetryPolicy): number[] {
  if ('delaysMs' in policy) return [...policy.delaysMs];
  return Array.from({ length: policy.attempts - 1 }, (_, k) => Math.min(Math.round(policy.initialMs * policy.factor ** k), policy.maxDelayMs));
}

/** The policy as the admin API shows it: the input form, durations in their largest whole unit. */
export function retryPolicyView(policy: EndpointRetryPolicy | null): z.output<typeof RetryPolicyViewSchema> {
  if (policy === null) return null;
  if ('delaysMs' in policy) return { delays: policy.delaysMs.map(formatDuration) };
  return { initial: formatDuration(policy.initialMs), factor: policy.factor, maxDelay: formatDuration(policy.maxDelayMs), attempts: policy.attempts };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
