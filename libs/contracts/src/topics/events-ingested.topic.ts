import { EventInputSchema } from '../event/event.schema';
import { EventsDeadLetteredTopic } from './events-dead-lettered.topic';
import { defineTopic } from './topic-contract';

/**
 * The ingestion topic producers may write to directly. Values are not trusted:
 * each is validated like an HTTP body (`EventInputSchema`, 256 KiB of data at
 * most) and what fails goes to the dead-letter topic with the reason.
 * Key: tenant id, optionally `tenantId:orderingKey`.
 */
export const EventsIngestedTopic = defineTopic({
  name: 'hookline.events.ingested.v1',
  schema: EventInputSchema,
  key: (event) => event.tenantId,
  deadLetterTopic: EventsDeadLetteredTopic,
  description: 'raw events written by producers; validated by ingest',
});
