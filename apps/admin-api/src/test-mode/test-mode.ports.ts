import type { AttemptsCompletedTopic, EventId } from '@hookline/contracts';
import type { OutgoingMessage } from '@hookline/kafka';
import type { KeyMaterial, SealedKeys } from '@hookline/signing';

/*
 * The ports of preview and test send. The endpoint rows, the clock and the
 * HTTP sender are the ones of the endpoint use cases and the dispatcher
 * (`EndpointStore.findLive`, `Clock`, libs/egress `HttpSender`).
 */

/** Opens an endpoint's sealed secrets and private keys (admin-api `EndpointSealing`); throws when one does not open. */
export interface KeyMaterialOpener {
  openKeyMaterial(endpoint: SealedKeys): KeyMaterial;
}

/** The attempts topic log-store writes the delivery log from; resolves once the broker has the record. */
export interface AttemptsTopic {
  send(topic: typeof AttemptsCompletedTopic, messages: OutgoingMessage<typeof AttemptsCompletedTopic>[]): Promise<void>;
}

/** Event ids of test sends: never one a producer's event has. */
export type TestEventIds = () => EventId;
