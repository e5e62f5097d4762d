import { z } from 'zod';
import { defineTopic, type TopicContract } from './topic-contract';

/**
 * A record a consumer could never process although it passed its schema (the
 * database refused it, a use case declared it impossible), parked so that the
 * records behind it go on: where it came from, its original bytes and headers,
 * and the error.
 */
export const ParkedRecordSchema = z.object({
  source: z.object({ topic: z.string(), partition: z.number().int(), offset: z.string(), key: z.string().nullable() }),
  /** The consumer group that parked it. */
  consumer: z.string(),
  /** The original value: as text when its bytes are valid UTF-8 (`utf8`), else base64 of the bytes (`base64`); null for a null value. */
  value: z.string().nullable(),
  valueEncoding: z.enum(['utf8', 'base64']),
  headers: z.record(z.string(), z.string()),
  error: z.object({
    /** Always `permanent`: transient failures are retried, never parked. */
    class: z.literal('permanent'),
    /** The SQLSTATE of a database error (e.g. `22008`), or the error's own code. */
    code: z.string().optional(),
    name: z.string(),
    /** The error's message with quoted values left out. */
    message: z.string(),
  }),
  parkedAt: z.string(),
});
export type ParkedRecord = z.infer<typeof ParkedRecordSchema>;

/** The dead-letter topic of one consuming service: `hookline.<service>.dead-lettered.v1`. */
export function parkedRecordsTopic(service: string): TopicContract<typeof ParkedRecordSchema> {
  return defineTopic({
    name: `hookline.${service}.dead-lettered.v1`,
    schema: ParkedRecordSchema,
    key: (record) => record.source.topic,
    description: `records ${service} could never process (the database refused them), with the error and the original bytes`,
  });
}
