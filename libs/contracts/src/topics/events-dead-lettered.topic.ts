import { z } from 'zod';
import { defineTopic } from './topic-contract';

export const DeadLetterSchema = z.object({
  reason: z.string(),
  issues: z.array(z.object({ field: z.string(), rule: z.string() })),
  source: z.object({ topic: z.string(), partition: z.number(), offset: z.string(), key: z.string().nullable() }),
  /** The original message value as received (UTF-8), so nothing is lost. */
  value: z.string().nullable(),
  deadLetteredAt: z.string(),
});
export type DeadLetter = z.infer<typeof DeadLetterSchema>;

export const EventsDeadLetteredTopic = defineTopic({
  name: 'hookline.events.dead-lettered.v1',
  schema: DeadLetterSchema,
  key: (dl) => dl.source.key ?? '',
  description: 'ingestion messages that failed validation, with the reason',
});
