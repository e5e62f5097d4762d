export * from './topic-contract';
export * from './dead-letter';
export * from './events-ingested.topic';
export * from './events-accepted.topic';
export * from './events-dead-lettered.topic';
export * from './messages-dead-lettered.topic';
export * from './endpoints-changed.topic';
export * from './event-types-changed.topic';
export * from './rules-changed.topic';
export * from './deliveries-requested.topic';
export * from './attempts-completed.topic';
export * from './attempts-completed-v1.topic';
export * from './attempt-outcome-headers';
export * from './deliveries-exhausted.topic';
export * from './deliveries-deferred.topic';
export * from './parked-record';
export * from './ingest-dead-lettered.topic';
export * from './rules-engine-dead-lettered.topic';
export * from './dispatcher-dead-lettered.topic';
export * from './retry-scheduler-dead-lettered.topic';
export * from './log-store-dead-lettered.topic';
export * from './admin-api-dead-lettered.topic';
export * from './endpoints-disable-requested.topic';
export * from './actions-requested.topic';

import { AttemptsCompletedTopic } from './attempts-completed.topic';
import { AttemptsCompletedV1Topic } from './attempts-completed-v1.topic';
import { DeliveriesDeferredTopic } from './deliveries-deferred.topic';
import { DeliveriesExhaustedTopic } from './deliveries-exhausted.topic';
import { DeliveriesRequestedTopic } from './deliveries-requested.topic';
import { EndpointsChangedTopic } from './endpoints-changed.topic';
import { EventTypesChangedTopic } from './event-types-changed.topic';
import { RulesChangedTopic } from './rules-changed.topic';
import { EventsAcceptedTopic } from './events-accepted.topic';
import { EventsDeadLetteredTopic } from './events-dead-lettered.topic';
import { EventsIngestedTopic } from './events-ingested.topic';
import { MessagesDeadLetteredTopic } from './messages-dead-lettered.topic';
import { IngestDeadLetteredTopic } from './ingest-dead-lettered.topic';
import { RulesEngineDeadLetteredTopic } from './rules-engine-dead-lettered.topic';
import { DispatcherDeadLetteredTopic } from './dispatcher-dead-lettered.topic';
import { RetrySchedulerDeadLetteredTopic } from './retry-scheduler-dead-lettered.topic';
import { LogStoreDeadLetteredTopic } from './log-store-dead-lettered.topic';
import { AdminApiDeadLetteredTopic } from './admin-api-dead-lettered.topic';
import { EndpointsDisableRequestedTopic } from './endpoints-disable-requested.topic';
import { ActionsRequestedTopic } from './actions-requested.topic';

/** Each consuming service's dead-letter topic for records it could never process, by the service's consumer-group name. */
export const PARKED_RECORDS_TOPICS: Readonly<Record<string, typeof LogStoreDeadLetteredTopic>> = {
  ingest: IngestDeadLetteredTopic,
  'rules-engine': RulesEngineDeadLetteredTopic,
  dispatcher: DispatcherDeadLetteredTopic,
  'retry-scheduler': RetrySchedulerDeadLetteredTopic,
  'log-store': LogStoreDeadLetteredTopic,
  'admin-api': AdminApiDeadLetteredTopic,
  // admin-api's runner of rules' action-contract invocations: a group of its own, since it reads another topic.
  'admin-api-actions': AdminApiDeadLetteredTopic,
};

export const ALL_TOPICS = [
  EventsIngestedTopic,
  EventsAcceptedTopic,
  EventsDeadLetteredTopic,
  MessagesDeadLetteredTopic,
  EndpointsChangedTopic,
  EventTypesChangedTopic,
  RulesChangedTopic,
  DeliveriesRequestedTopic,
  AttemptsCompletedV1Topic,
  AttemptsCompletedTopic,
  DeliveriesExhaustedTopic,
  DeliveriesDeferredTopic,
  IngestDeadLetteredTopic,
  RulesEngineDeadLetteredTopic,
  DispatcherDeadLetteredTopic,
  RetrySchedulerDeadLetteredTopic,
  LogStoreDeadLetteredTopic,
  AdminApiDeadLetteredTopic,
  EndpointsDisableRequestedTopic,
  ActionsRequestedTopic,
] as const;
