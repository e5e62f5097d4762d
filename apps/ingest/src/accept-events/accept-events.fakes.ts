import type { EventEnvelope, EventsAcceptedTopic } from '@hookline/contracts';
import type { OutgoingMessage } from '@hookline/kafka';
import { keyOf, type AcceptedEvents, type EventIdClaims, type EventKey } from './accept-events.usecase';

/* The accept use case's ports in memory, for the unit specs of this folder. */

/** Claims that hold only when the publication succeeded, like the database transaction. */
export class FakeClaims implements EventIdClaims {
  readonly seen = new Set<string>();
  async claimWhile<T>(keys: EventKey[], publish: (fresh: Set<string>) => Promise<T>): Promise<T> {
    const fresh = new Set(keys.map(keyOf).filter((k) => !this.seen.has(k)));
    const result = await publish(fresh);
    fresh.forEach((k) => this.seen.add(k));
    return result;
  }
}

/** Records each send's events; `failNext` makes the next send fail. */
export class RecordingEvents implements AcceptedEvents {
  readonly sends: EventEnvelope[][] = [];
  failNext: Error | null = null;
  async send(_topic: typeof EventsAcceptedTopic, messages: OutgoingMessage<typeof EventsAcceptedTopic>[]): Promise<void> {
    if (this.failNext) {
      const error = this.failNext;
      this.failNext = null;
      throw error;
    }
    this.sends.push(messages.map((m) => m.value as EventEnvelope));
  }

  /** Every event sent, in order. */
  get sent(): EventEnvelope[] {
    return this.sends.flat();
  }
}
