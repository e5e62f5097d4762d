export * from './topic-contract';
export * from './dead-letter';
export * from './events-ingested.topic';
export * from './events-accepted.topic';
export * from './events-dead-lettered.topic';
export * from './messages-dead-lettered.topic';
export * from './endpoints-changed.topic';
export * from './deliveries-requested.topic';
export * from './attempts-completed.topic';
export * from './deliveries-exhausted.topic';
export * from './deliveries-deferred.topic';

import { AttemptsCompletedTopic } from './attempts-completed.topic';
import { DeliveriesDeferredTopic } from './deliveries-deferred.topic';
import { DeliveriesExhaustedTopic } from './deliveries-exhausted.topic';
import { DeliveriesRequestedTopic } from './deliveries-requested.topic';
import { EndpointsChangedTopic } from './endpoints-changed.topic';
import { EventsAcceptedTopic } from './events-accepted.topic';
import { EventsDeadLetteredTopic } from './events-dead-lettered.topic';
import { EventsIngestedTopic } from './events-ingested.topic';
import { MessagesDeadLetteredTopic } from './messages-dead-lettered.topic';

export const ALL_TOPICS = [
  EventsIngestedTopic,
  EventsAcceptedTopic,
  EventsDeadLetteredTopic,
  MessagesDeadLetteredTopic,
  EndpointsChangedTopic,
  DeliveriesRequestedTopic,
  AttemptsCompletedTopic,
  DeliveriesExhaustedTopic,
  DeliveriesDeferredTopic,
] as const;
