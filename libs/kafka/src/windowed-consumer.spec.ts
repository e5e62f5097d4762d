import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { KafkaClient } from './kafka-client';
import pino from 'pino';
import { TopicNames } from './kafka-client';
import type { ConsumedMessage } from './message';
import { WindowedConsumer } from './windowed-consumer';

/**
 * The window's bookkeeping against a stand-in for KafkaJS' consumer: what it
 * commits, and what a message's retries do once the partition is gone. (Its
 * work against a real broker is in the end-to-end suites.)
 */
class FakeKafkaConsumer {
  readonly events = { GROUP_JOIN: 'consumer.group_join' };
  readonly commits: { topic: string; partition: number; offset: string }[][] = [];
  readonly resumed: number[] = [];
  private joined: () => void = () => undefined;
  eachBatch!: (payload: EachBatchPayload) => Promise<void>;
  on(_event: string, listener: () => void) {
    this.joined = listener;
  }
  rejoin() {
    this.joined();
  }
  async connect() {}
  async subscribe() {}
  async run(config: { eachBatch: (payload: EachBatchPayload) => Promise<void> }) {
    this.eachBatch = config.eachBatch;
  }
  async commitOffsets(offsets: { topic: string; partition: number; offset: string }[]) {
    this.commits.push(offsets);
  }
  pause() {}
  async disconnect() {}
  /** Hands over one batch of `offsets` on partition 0; `pause()` returns a resume that records itself. */
  async deliver(offsets: number[]) {
    const messages = offsets.map((o) => ({ offset: String(o), key: null, value: Buffer.from('{}'), headers: {} }) as unknown as KafkaMessage);
    await this.eachBatch({
      batch: { topic: 't.hookline.deliveries.requested.v1', partition: 0, messages, highWatermark: String(Math.max(...offsets) + 1) },
      pause: () => () => void this.resumed.push(0),
    } as unknown as EachBatchPayload);
  }
}

const transient = (message: string) => Object.assign(new Error(message), { code: 'ECONNREFUSED' });

function setup(handle: (offset: string) => Promise<void>, maxInFlightPerPartition = 1000) {
  const fake = new FakeKafkaConsumer();
  const parked: ConsumedMessage[] = [];
  const lag: number[] = [];
  const kafka = { engine: { consumer: () => fake } } as unknown as KafkaClient;
  const consumer = new WindowedConsumer(kafka, new TopicNames('t.'), pino({ level: 'silent' }), {
    groupId: 'g',
    topics: [{ name: 'hookline.deliveries.requested.v1' } as never],
    handle: (m) => handle(m.offset),
    park: async (m) => void parked.push(m),
    onLag: (_topic, _partition, value) => void lag.push(value),
    maxInFlightPerPartition,
    commitIntervalMs: 10,
  });
  return { fake, consumer, parked, lag };
}

const committed = (fake: FakeKafkaConsumer) => fake.commits.flat().map((c) => Number(c.offset));

describe(WindowedConsumer.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('commits up to the oldest unfinished message, whatever finishes first', async () => {
    const gates = new Map<string, () => void>();
    const { fake, consumer } = setup((offset) => new Promise<void>((done) => gates.set(offset, done)));
    await consumer.start();
    await fake.deliver([5, 6, 7]);
    gates.get('6')!();
    gates.get('7')!();
    await jest.advanceTimersByTimeAsync(50);
    expect(Math.max(0, ...committed(fake))).toBeLessThanOrEqual(5);
    gates.get('5')!();
    await jest.advanceTimersByTimeAsync(50);
    expect(Math.max(...committed(fake))).toBe(8);
  });

  it('stops retrying a failing message once its partition moved to another member, and never commits past it', async () => {
    let calls = 0;
    const { fake, consumer } = setup(async () => {
      calls++;
      throw transient('database down');
    });
    await consumer.start();
    await fake.deliver([3]);
    await jest.advanceTimersByTimeAsync(1_000); // 200 + 400 ms of backoff: three tries
    expect(calls).toBe(3);
    fake.rejoin(); // a rebalance: the partition is no longer this assignment's
    await jest.advanceTimersByTimeAsync(60_000);
    expect(calls).toBe(3); // the retry already waiting saw the partition gone and gave up
    expect(committed(fake).every((offset) => offset <= 3)).toBe(true);
  });

  it('stops retrying when the consumer stops, leaving the message for the next owner', async () => {
    let calls = 0;
    const { fake, consumer } = setup(async () => {
      calls++;
      throw transient('broker down');
    });
    await consumer.start();
    await fake.deliver([9]);
    await jest.advanceTimersByTimeAsync(300);
    const stopping = consumer.stop(60_000);
    await jest.advanceTimersByTimeAsync(10_000); // far less than the drain allowance: it must not wait for it
    await stopping;
    const after = calls;
    await jest.advanceTimersByTimeAsync(60_000);
    expect(calls).toBe(after);
    expect(committed(fake).every((offset) => offset <= 9)).toBe(true);
  });

  it('resumes a partition it paused when a rebalance starts a new assignment', async () => {
    const { fake, consumer } = setup(() => new Promise<void>(() => undefined), 2);
    await consumer.start();
    await fake.deliver([1, 2]); // the window is full: the partition pauses
    expect(fake.resumed).toEqual([]);
    fake.rejoin();
    expect(fake.resumed).toEqual([0]);
  });

  it('parks a message that fails permanently and commits past it, while the others are done', async () => {
    const { fake, consumer, parked, lag } = setup(async (offset) => {
      if (offset === '2') throw Object.assign(new Error('value out of range'), { name: 'error', code: '22008' });
    });
    await consumer.start();
    await fake.deliver([1, 2, 3]);
    await jest.advanceTimersByTimeAsync(50);
    expect(parked.map((m) => m.offset)).toEqual(['2']);
    expect(Math.max(...committed(fake))).toBe(4);
    expect(lag.at(-1)).toBe(0);
  });

  it('reports a message failing transiently as failing since its first failure, and clears it once done', async () => {
    let down = true;
    const { fake, consumer, parked } = setup(async () => {
      if (down) throw transient('database down');
    });
    await consumer.start();
    await fake.deliver([7]);
    await jest.advanceTimersByTimeAsync(20_000);
    const [stuck] = consumer.unfinished.stuckFor(15_000);
    expect(stuck).toMatchObject({
      topic: 't.hookline.deliveries.requested.v1',
      partition: 0,
      offset: '7',
      failure: { class: 'transient', code: 'ECONNREFUSED' },
    });
    down = false;
    await jest.advanceTimersByTimeAsync(6_000);
    expect(consumer.unfinished.stuckFor(0)).toEqual([]);
    expect(parked).toEqual([]);
    expect(Math.max(...committed(fake))).toBe(8);
  });

  it('reports a message whose work hangs without failing as unfinished since it started, and clears it once done', async () => {
    let release!: () => void;
    const hung = new Promise<void>((resolve) => (release = resolve));
    const { fake, consumer } = setup(() => hung);
    await consumer.start();
    await fake.deliver([3]);
    await jest.advanceTimersByTimeAsync(20_000);
    expect(consumer.unfinished.stuckFor(15_000)).toEqual([
      { topic: 't.hookline.deliveries.requested.v1', partition: 0, offset: '3', since: expect.any(Number) },
    ]);
    release();
    await jest.advanceTimersByTimeAsync(500);
    expect(consumer.unfinished.stuckFor(0)).toEqual([]);
    expect(Math.max(...committed(fake))).toBe(4);
  });
});
