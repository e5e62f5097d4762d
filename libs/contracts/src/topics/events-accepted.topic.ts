import { EventEnvelopeSchema } from '../event/event.schema';
import { defineTopic } from './topic-contract';

export const EventsAcceptedTopic = defineTopic({
  name: 'hookline.events.accepted.v1',
  schema: EventEnvelopeSchema,
  key: (event) => event.tenantId,
  description: 'validated, deduplicated events; consumed by rules-engine and log-store',
});
