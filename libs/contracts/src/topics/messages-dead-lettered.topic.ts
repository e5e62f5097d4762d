import { DeadLetterSchema } from './dead-letter';
import { defineTopic } from './topic-contract';

/**
 * Messages of Hookline's own topics that failed their schema. Only Hookline
 * writes those topics, so a record here is a bug or a foreign writer, never
 * user input; it is kept with its original bytes for an operator to inspect.
 */
export const MessagesDeadLetteredTopic = defineTopic({
  name: 'hookline.messages.dead-lettered.v1',
  schema: DeadLetterSchema,
  key: (dl) => dl.source.topic,
  description: "messages of Hookline's internal topics that failed their schema, with the reason and the original bytes",
});
