import { z } from 'zod';
import { defineTopic } from './topic-contract';

/**
 * The raw ingestion topic producers may write to directly. Values are not
 * trusted: ingest validates each one and dead-letters what fails, so the schema
 * here only describes the envelope producers are asked to send.
 * Key: tenant id, optionally `tenantId:orderingKey`.
 */
export const EventsIngestedTopic = defineTopic({
  name: 'hookline.events.ingested.v1',
  schema: z.unknown(),
  key: () => '',
  description: 'raw events written by producers; validated by ingest',
});
