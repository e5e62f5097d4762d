import { AttemptsCompletedTopic, DeliveriesRequestedTopic, EventsAcceptedTopic, isReissued } from '@hookline/contracts';
import { createKafka, decodeHeaders, type ReceivedMessage } from '@hookline/kafka';
import pino from 'pino';
import { percentiles, type Percentiles } from './measure';

/*
 * Where an event's time goes on its way to the receiver, hop by hop, from the
 * timestamps of the records it leaves on the topics it crosses (each set by
 * the Kafka client of the service that produced it, as it sends) and the
 * attempt's own start time:
 *   ingest        the bench sent the event → its accepted record
 *                 (HTTP or the ingestion topic, API key, dedup claim, gathering);
 *   rules-engine  accepted record → delivery request record
 *                 (the broker's ack and fetch, catching up with endpoints, fan-out);
 *   dispatcher    delivery request record → the attempt started
 *                 (fetch, admission, the endpoint's config).
 * What remains of the end-to-end latency is signing, the HTTP request and the
 * receiver. Only first attempts count (no retries, no re-issued requests).
 */

export interface HopLatencies {
  ingest: Percentiles;
  rulesEngine: Percentiles;
  dispatcher: Percentiles;
}

/** One record as the hops need it: when it was produced, and the fields that join it to the others. */
export type HopRecord =
  | { topic: 'accepted'; at: number; tenantId: string; eventId: string; sentAt: number | undefined }
  | { topic: 'requested'; at: number; tenantId: string; eventId: string; deliveryId: string; firstAttempt: boolean }
  | { topic: 'completed'; deliveryId: string; attempt: number; startedAt: number };

/** Per phase (the event id's `<runId>-<phase>-` prefix), the three hops of its events. */
export function hopLatencies(records: Iterable<HopRecord>, runId: string, phases: readonly string[]): Record<string, HopLatencies> {
  const phaseOf = (eventId: string) => phases.find((p) => eventId.startsWith(`${runId}-${p}-`));
  const accepted = new Map<string, { at: number; sentAt: number | undefined }>();
  const requested = new Map<string, { at: number; acceptedKey: string; phase: string }>();
  const started: { deliveryId: string; startedAt: number }[] = [];
  for (const r of records) {
    if (r.topic === 'accepted') accepted.set(`${r.tenantId}\u0000${r.eventId}`, { at: r.at, sentAt: r.sentAt });
    else if (r.topic === 'requested') {
      const phase = phaseOf(r.eventId);
      if (phase && r.firstAttempt) requested.set(r.deliveryId, { at: r.at, acceptedKey: `${r.tenantId}\u0000${r.eventId}`, phase });
    } else if (r.attempt === 1) started.push(r);
  }
  const hops = new Map(phases.map((p) => [p, { ingest: [] as number[], rulesEngine: [] as number[], dispatcher: [] as number[] }]));
  for (const [, request] of requested) {
    const event = accepted.get(request.acceptedKey);
    if (!event) continue;
    const h = hops.get(request.phase)!;
    if (event.sentAt !== undefined) h.ingest.push(event.at - event.sentAt);
    h.rulesEngine.push(request.at - event.at);
  }
  for (const { deliveryId, startedAt } of started) {
    const request = requested.get(deliveryId);
    if (request) hops.get(request.phase)!.dispatcher.push(startedAt - request.at);
  }
  return Object.fromEntries(
    [...hops].map(([phase, h]) => [phase, { ingest: percentiles(h.ingest), rulesEngine: percentiles(h.rulesEngine), dispatcher: percentiles(h.dispatcher) }]),
  );
}

/** Reads the run's three delivery-path topics from their start, as `HopRecord`s. */
export async function readHopRecords(brokers: string, topicPrefix: string, runId: string): Promise<HopRecord[]> {
  const kafka = createKafka({ brokers: brokers.split(','), clientId: 'hookline-bench-hops', logger: pino({ level: 'silent' }) });
  const admin = kafka.admin();
  await admin.connect();
  const records: HopRecord[] = [];
  try {
    for (const contract of [EventsAcceptedTopic, DeliveriesRequestedTopic, AttemptsCompletedTopic]) {
      const topic = topicPrefix + contract.name;
      const ends = (await admin.fetchTopicEnds(topic)).filter((e) => Number(e.offset) > 0);
      const left = new Map(ends.map((e) => [e.partition, BigInt(e.offset) - 1n]));
      if (left.size === 0) continue;
      const groupId = `${runId}.bench-hops.${contract.name}`;
      const consumer = kafka.consumer({ groupId });
      await consumer.connect();
      try {
        await consumer.subscribe({ topic, fromBeginning: true });
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`${topic} was not read to its end within 120 s`)), 120_000);
          consumer
            .run({
              eachMessage: async ({ partition, message }) => {
                const record = message.value && toHopRecord(contract.name, message.timestamp, message.value, message.headers);
                if (record) records.push(record);
                const last = left.get(partition);
                if (last !== undefined && BigInt(message.offset) >= last) left.delete(partition);
                if (left.size === 0) {
                  clearTimeout(timer);
                  resolve();
                }
              },
            })
            .catch(reject);
        });
      } finally {
        await consumer.disconnect().catch(() => undefined);
        await admin.deleteGroups([groupId]).catch(() => undefined);
      }
    }
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  return records;
}

function toHopRecord(topic: string, timestamp: string, value: Buffer, headers: ReceivedMessage['headers']): HopRecord | null {
  const at = Number(timestamp);
  const v = JSON.parse(value.toString('utf8')) as Record<string, unknown>;
  if (topic === EventsAcceptedTopic.name) {
    const data = v.data as { sentAt?: unknown } | undefined;
    return { topic: 'accepted', at, tenantId: String(v.tenantId), eventId: String(v.id), sentAt: typeof data?.sentAt === 'number' ? data.sentAt : undefined };
  }
  if (topic === DeliveriesRequestedTopic.name) {
    const event = v.event as { id?: unknown } | undefined;
    const firstAttempt = v.attempt === 1 && !isReissued(decodeHeaders(headers));
    return { topic: 'requested', at, tenantId: String(v.tenantId), eventId: String(event?.id), deliveryId: String(v.deliveryId), firstAttempt };
  }
  return { topic: 'completed', deliveryId: String(v.deliveryId), attempt: Number(v.attempt), startedAt: Date.parse(String(v.startedAt)) };
}
