import { z } from 'zod';

/**
 * A message a consumer refused because it failed its topic's schema (or was
 * not JSON): the reason, each field and rule, where it came from, and the
 * original bytes, so nothing accepted is ever lost.
 */
export const DeadLetterSchema = z.object({
  reason: z.string(),
  issues: z.array(z.object({ field: z.string(), rule: z.string() })),
  source: z.object({ topic: z.string(), partition: z.number(), offset: z.string(), key: z.string().nullable() }),
  /** The consumer group that refused it (absent on records written before it was recorded). */
  consumer: z.string().optional(),
  /** The original message value as received (UTF-8), so nothing is lost. */
  value: z.string().nullable(),
  deadLetteredAt: z.string(),
});
export type DeadLetter = z.infer<typeof DeadLetterSchema>;
