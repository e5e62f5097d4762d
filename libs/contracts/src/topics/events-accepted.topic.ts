import { EventEnvelopeSchema } from '../event/event.schema';
import { MessagesDeadLetteredTopic } from './messages-dead-lettered.topic';
import { defineTopic } from './topic-contract';

export const EventsAcceptedTopic = defineTopic({
  name: 'hookline.events.accepted.v1',
  schema: EventEnvelopeSchema,
  key: (event) => event.tenantId,
  deadLetterTopic: MessagesDeadLetteredTopic,
  description: 'validated, deduplicated events; consumed by rules-engine and log-store',
});
