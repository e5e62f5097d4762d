import { EventsDeadLetteredTopic, EventsIngestedTopic } from '@hookline/contracts';
import { createKafka, TopicNames, type KafkaClient } from '@hookline/kafka';
import { sleep } from './harness';
import { base, type Scenario, withHarness } from './scenario';

/* 6. 1 % poison messages on the ingestion topic. */
export function poisonMessages(marker: string): Array<{ name: string; value: Buffer | null }> {
  const valid = (over: Record<string, unknown>) => JSON.stringify({ tenantId: 'poison', type: 'invoice.paid', id: marker, data: { key: marker }, ...over });
  const deep = (depth: number) => `{"id":"${marker}","data":${'['.repeat(depth)}${']'.repeat(depth)}}`;
  return [
    { name: 'not JSON', value: Buffer.from(`not json ${marker}`) },
    { name: 'truncated JSON', value: Buffer.from(`{"tenantId":"poison","id":"${marker}","type":`) },
    { name: 'wrong schema: data not an object', value: Buffer.from(valid({ data: `not an object ${marker}` })) },
    { name: 'wrong schema: no type', value: Buffer.from(valid({ type: undefined })) },
    { name: 'NUL in a data string', value: Buffer.from(valid({ data: { key: marker, note: 'a\u0000b' } })) },
    { name: 'NUL in the type', value: Buffer.from(valid({ type: 'invoice.\u0000paid' })) },
    { name: 'out-of-range date (year 0)', value: Buffer.from(valid({ occurredAt: '0000-01-01T00:00:00Z' })) },
    { name: 'out-of-range date (year 275760)', value: Buffer.from(valid({ occurredAt: '+275760-09-13T00:00:00.000Z' })) },
    { name: 'nesting 100,000 deep', value: Buffer.from(deep(100_000)) },
    { name: 'number JSON cannot round-trip', value: Buffer.from(valid({}).replace(`"data":{`, `"data":{"big":1e400,`)) },
    { name: 'invalid UTF-8', value: Buffer.concat([Buffer.from(`{"id":"${marker}","x":"`), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]) },
    { name: 'empty value', value: Buffer.from('') },
  ];
}

export const poison: Scenario = {
  n: 6,
  title: '6. 1 % poison on the ingestion topic',
  budgetS: (s) => 180 + (s.events ?? (s.quick ? 1200 : 5000)) / 50,
  run: (s, deadline) =>
    withHarness(base(s, 's6', deadline), poison.title, async (h) => {
      await h.addEndpoints('poison', 2);
      const total = s.events ?? (s.quick ? 1200 : 5000);
      const kafka = createKafka({ clientId: 'hookline-faults', brokers: [h.stack.brokers] });
      const producer = kafka.producer();
      await producer.connect();
      const topic = new TopicNames(h.stack.prefix).of(EventsIngestedTopic);
      const poisonSent: Array<{ name: string; marker: string; value: Buffer | null }> = [];
      try {
        for (let from = 0; from < total; from += 100) {
          const messages = [];
          for (let i = from; i < Math.min(total, from + 100); i++) {
            if (i % 100 === 50) {
              const marker = `poison_${h.opts.tag}_${i}`;
              const kinds = poisonMessages(marker);
              const p = kinds[((i / 100) % kinds.length) | 0]!;
              poisonSent.push({ ...p, marker });
              messages.push({ key: 'poison', value: p.value });
            } else {
              const event = h.event('poison', 'load', i, Date.now());
              h.expect(event);
              messages.push({ key: 'poison', value: JSON.stringify(event) });
            }
          }
          await producer.send({ topic, messages });
          await sleep(100);
        }
      } finally {
        await producer.disconnect();
      }
      await h.waitDelivered('every good event behind the poison');
      const letters = await readDeadLetters(kafka, new TopicNames(h.stack.prefix).of(EventsDeadLetteredTopic), poisonSent.length, deadline);
      const missing = poisonSent.filter(
        (p) => !letters.some((l) => l.reason && (p.value?.length ? l.value !== null && sameBytes(l.value, p.value) : l.value === '' || l.value === null)),
      );
      const failures = missing.length
        ? [`${missing.length} of ${poisonSent.length} poison messages not dead-lettered with a reason: ${[...new Set(missing.map((m) => m.name))].join('; ')}`]
        : [];
      return { recoverS: null, failures, sent: total, notes: [`${poisonSent.length} poison messages, ${letters.length} dead letters`] };
    }),
};

function sameBytes(deadValue: string, original: Buffer): boolean {
  return deadValue === original.toString('utf8') || deadValue === original.toString('base64');
}

async function readDeadLetters(kafka: KafkaClient, topic: string, want: number, deadline: number): Promise<Array<{ reason?: string; value: string | null }>> {
  const consumer = kafka.consumer({ groupId: `faults-reader-${Date.now()}` });
  const letters: Array<{ reason?: string; value: string | null }> = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        try {
          letters.push(JSON.parse(message.value?.toString() ?? '{}') as { reason?: string; value: string | null });
        } catch {
          letters.push({ value: null });
        }
      },
    });
    const until = Math.min(deadline, Date.now() + 20_000);
    while (letters.length < want && Date.now() < until) await sleep(200);
    await sleep(1000);
    return letters;
  } finally {
    await consumer.disconnect();
  }
}
