import { EndpointsChangedTopic } from '@hookline/contracts';
import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import pino from 'pino';
import { CompactedView } from './compacted-view';
import { TopicNames, type KafkaClient, type PartitionEnd } from './kafka-client';

/**
 * Which end-offset requests `syncToLatest` waits for, against stand-ins for
 * KafkaJS' consumer and the admin: callers of one turn share a request, a
 * caller never rides on a request sent before it called. (The view against a
 * real broker is in compacted-view.int.spec.ts.)
 */
class FakeConsumer {
  eachBatch!: (payload: EachBatchPayload) => Promise<void>;
  async connect() {}
  async subscribe() {}
  async run(config: { eachBatch: (payload: EachBatchPayload) => Promise<void> }) {
    this.eachBatch = config.eachBatch;
  }
  async disconnect() {}
  /** The view reads tombstones up to (not including) `end` on partition 0. */
  async readUpTo(end: number) {
    const messages = [{ offset: String(end - 1), key: Buffer.from(`k${end}`), value: null, headers: {} } as unknown as KafkaMessage];
    await this.eachBatch({ batch: { topic: 't.hookline.endpoints.changed.v1', partition: 0, messages } } as unknown as EachBatchPayload);
  }
}

class FakeAdmin {
  readonly asked: ((ends: PartitionEnd[]) => void)[] = [];
  async connect() {}
  async disconnect() {}
  async deleteGroups() {}
  /** Both ends, which the view asks for only of a partition it never read from: it starts at 0. */
  async fetchTopicOffsets() {
    return [{ partition: 0, offset: '0', high: '0', low: '0' }];
  }
  fetchTopicEnds(): Promise<PartitionEnd[]> {
    return new Promise((resolve) => this.asked.push(resolve));
  }
  answer(request: number, end: number) {
    this.asked[request]!([{ partition: 0, offset: String(end) }]);
  }
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

async function openView() {
  const consumer = new FakeConsumer();
  const admin = new FakeAdmin();
  const kafka = { engine: { consumer: () => consumer }, admin: () => admin } as unknown as KafkaClient;
  const view = new CompactedView(kafka, new TopicNames('t.'), EndpointsChangedTopic, pino({ level: 'silent' }), 'test');
  const starting = view.start();
  while (admin.asked.length === 0) await nextTurn();
  admin.answer(0, 0); // an empty topic at start
  await starting;
  return { view, consumer, admin };
}

describe(CompactedView.name, () => {
  it('sends one end-offset request for the callers of one turn', async () => {
    const { view, admin } = await openView();
    const both = Promise.all([view.syncToLatest(), view.syncToLatest()]);
    await nextTurn();
    expect(admin.asked).toHaveLength(2); // the start's and this turn's
    admin.answer(1, 0);
    await both;
  });

  it('never lets a caller ride on a request already sent: it waits for the end its own request reports', async () => {
    const { view, consumer, admin } = await openView();
    let firstDone = false;
    let laterDone = false;
    const first = view.syncToLatest().then(() => (firstDone = true));
    await nextTurn(); // the first request is on its way
    const later = view.syncToLatest().then(() => (laterDone = true));
    await nextTurn();
    expect(admin.asked).toHaveLength(3); // a request of its own
    admin.answer(1, 0); // the first request was answered before a record was written
    await first;
    admin.answer(2, 5); // the later one sees the record written meanwhile
    await nextTurn();
    expect([firstDone, laterDone]).toEqual([true, false]);
    await consumer.readUpTo(5);
    await later;
    expect(laterDone).toBe(true);
  });
});
