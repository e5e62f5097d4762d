import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { segmentBytes, topicOfPartitionDir, topicsPerDelivery } from './topics';

describe('topicOfPartitionDir', () => {
  it("names the run's topic of a partition folder", () => {
    expect(topicOfPartitionDir('babc123.hookline.events.accepted.v1-5', 'babc123.')).toBe('hookline.events.accepted.v1');
    expect(topicOfPartitionDir('babc123.hookline.events.accepted.v1-12', 'babc123.')).toBe('hookline.events.accepted.v1');
  });

  it("leaves out other runs' topics, Kafka's own and files", () => {
    expect(topicOfPartitionDir('bfff000.hookline.events.accepted.v1-0', 'babc123.')).toBeNull();
    expect(topicOfPartitionDir('__consumer_offsets-3', 'babc123.')).toBeNull();
    expect(topicOfPartitionDir('meta.properties', 'babc123.')).toBeNull();
  });
});

describe('segmentBytes', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'bench-topics-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("sums the .log segment files of every partition of the run's topics, not their indexes", () => {
    const write = (folder: string, file: string, bytes: number) => {
      mkdirSync(join(dir, folder), { recursive: true });
      writeFileSync(join(dir, folder, file), Buffer.alloc(bytes));
    };
    write('p.a.v1-0', '00000000000000000000.log', 100);
    write('p.a.v1-0', '00000000000000000042.log', 20);
    write('p.a.v1-0', '00000000000000000000.index', 1000);
    write('p.a.v1-1', '00000000000000000000.log', 5);
    write('p.b.v1-0', '00000000000000000000.timeindex', 7);
    write('q.a.v1-0', '00000000000000000000.log', 999);
    expect(segmentBytes(dir, 'p.')).toEqual({ 'a.v1': 125, 'b.v1': 0 });
  });

  it('is empty for a folder that does not exist (the broker is not the bench’s)', () => {
    expect(segmentBytes(join(dir, 'missing'), 'p.')).toEqual({});
  });
});

describe('topicsPerDelivery', () => {
  it('divides what each topic gained in the window by the deliveries, and leaves out topics that did not move', () => {
    const before = { a: { messages: 100, bytes: 10_000 }, b: { messages: 7, bytes: 700 } };
    const after = { a: { messages: 2100, bytes: 1_010_000 }, b: { messages: 7, bytes: 700 }, c: { messages: 500, bytes: 25_000 } };
    expect(topicsPerDelivery(before, after, 2000)).toEqual([
      { topic: 'a', messages: 2000, bytes: 1_000_000, messagesPerDelivery: 1, bytesPerDelivery: 500 },
      { topic: 'c', messages: 500, bytes: 25_000, messagesPerDelivery: 0.25, bytesPerDelivery: 12.5 },
    ]);
  });

  it('keeps the messages and leaves the bytes unknown when the broker was not started by the bench', () => {
    expect(topicsPerDelivery({ a: { messages: 0, bytes: null } }, { a: { messages: 30, bytes: null } }, 10)).toEqual([
      { topic: 'a', messages: 30, bytes: null, messagesPerDelivery: 3, bytesPerDelivery: null },
    ]);
  });
});
