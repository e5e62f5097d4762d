import { DeadLetterSchema } from './dead-letter';
import { defineTopic } from './topic-contract';

export const EventsDeadLetteredTopic = defineTopic({
  name: 'hookline.events.dead-lettered.v1',
  schema: DeadLetterSchema,
  key: (dl) => dl.source.key ?? '',
  description: 'ingestion messages that failed validation, with the reason: the producers-facing dead-letter topic',
});
