import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createKafka } from '@hookline/kafka';
import pino from 'pino';

/*
 * Messages and bytes on every topic of the run: end offsets from the broker's
 * admin API, and the size of each partition's log segment files (`*.log`) in
 * the broker's log directory when the bench started the broker (the bytes the
 * broker stored: record batches with their headers, compressed if the
 * producer compressed them).
 */

/** Per topic (without the run's prefix): messages ever written (sum of end offsets) and bytes in its segment files, or null when unknown. */
export type TopicCounts = Record<string, { messages: number; bytes: number | null }>;

export interface TopicRow {
  topic: string;
  messages: number;
  bytes: number | null;
  messagesPerDelivery: number;
  bytesPerDelivery: number | null;
}

/** `<prefix><topic>-<partition>` → the topic without the prefix, or null for a folder of another run or of Kafka itself. */
export function topicOfPartitionDir(dir: string, prefix: string): string | null {
  const m = /^(.+)-(\d+)$/.exec(dir);
  return m && m[1]!.startsWith(prefix) ? m[1]!.slice(prefix.length) : null;
}

/** Bytes in the `*.log` segment files of each of the run's topics under a broker's log directory. */
export function segmentBytes(logDir: string, prefix: string): Record<string, number> {
  const out: Record<string, number> = {};
  let dirs: string[] = [];
  try {
    dirs = readdirSync(logDir);
  } catch {
    return out;
  }
  for (const dir of dirs) {
    const topic = topicOfPartitionDir(dir, prefix);
    if (topic === null) continue;
    let bytes = 0;
    try {
      for (const file of readdirSync(join(logDir, dir))) if (file.endsWith('.log')) bytes += statSync(join(logDir, dir, file)).size;
    } catch {
      continue; // a partition being deleted
    }
    out[topic] = (out[topic] ?? 0) + bytes;
  }
  return out;
}

/** End offsets (admin API) and segment bytes (`logDir`, when the bench started the broker) of every topic under `prefix`. */
export async function topicCounts(brokers: string, prefix: string, logDir: string | undefined): Promise<TopicCounts> {
  const kafka = createKafka({ brokers: brokers.split(','), clientId: 'hookline-bench-admin', logger: pino({ level: 'silent' }) });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const bytes = logDir ? segmentBytes(logDir, prefix) : {};
    const out: TopicCounts = {};
    for (const name of (await admin.listTopics()).filter((t) => t.startsWith(prefix)).sort()) {
      const ends = await admin.fetchTopicOffsets(name);
      const topic = name.slice(prefix.length);
      out[topic] = { messages: ends.reduce((n, p) => n + Number(p.high), 0), bytes: logDir ? (bytes[topic] ?? 0) : null };
    }
    return out;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** What a window of the run added on each topic, per delivery; topics that did not move are left out. */
export function topicsPerDelivery(before: TopicCounts, after: TopicCounts, deliveries: number): TopicRow[] {
  const rows: TopicRow[] = [];
  for (const [topic, a] of Object.entries(after)) {
    const b = before[topic] ?? { messages: 0, bytes: a.bytes === null ? null : 0 };
    const messages = a.messages - b.messages;
    const bytes = a.bytes === null || b.bytes === null ? null : a.bytes - b.bytes;
    if (messages <= 0) continue;
    const per = (n: number) => (deliveries > 0 ? Math.round((n / deliveries) * 100) / 100 : 0);
    rows.push({ topic, messages, bytes, messagesPerDelivery: per(messages), bytesPerDelivery: bytes === null ? null : per(bytes) });
  }
  return rows.sort((x, y) => x.topic.localeCompare(y.topic));
}
