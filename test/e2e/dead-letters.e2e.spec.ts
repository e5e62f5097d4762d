import {
  DeliveriesRequestedTopic,
  EndpointsChangedTopic,
  EventsAcceptedTopic,
  MessagesDeadLetteredTopic,
  type DeadLetter,
  type TopicContract,
} from '@hookline/contracts';
import { waitFor } from '@hookline/infra';
import { createKafka, TopicNames } from '@hookline/kafka';
import { readTopic, stackForSuite, waitForDelivery } from '../harness/test-stack';

/** A message that fails its topic's schema is dead-lettered with the reason, and the messages behind it flow on. */
describe('messages that fail their topic schema', () => {
  const { stack, receiver } = stackForSuite();
  const kafka = createKafka({ clientId: 'dead-letters-test', brokers: [stack.brokers] });
  const producer = kafka.producer();
  const topic = (c: TopicContract) => new TopicNames(stack.prefix).of(c);
  const group = (service: string) => new TopicNames(stack.prefix).group(service);

  beforeAll(() => producer.connect());
  afterAll(() => producer.disconnect());

  const metric = async (service: 'dispatcher' | 'rules-engine' | 'log-store', name: string) => {
    const text = await (await fetch(`${stack.url(service)}/metrics`)).text();
    return text
      .split('\n')
      .filter((line) => line.startsWith(name))
      .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
  };

  it('dead-letters a bad message of an internal topic from every group that reads it, and delivers the events behind it', async () => {
    expect((await stack.api('admin-api', 'POST', '/v1/tenants/umbrella/endpoints', { url: `${receiver.url}/dl`, eventTypes: ['*'] })).status).toBe(201);
    const badRequest = JSON.stringify({ deliveryId: 'not-a-uuid', attempt: 0 });
    await producer.send({ topic: topic(DeliveriesRequestedTopic), messages: [{ key: 'x', value: badRequest }] });
    await producer.send({ topic: topic(EventsAcceptedTopic), messages: [{ key: 'umbrella', value: '{"id": "evt_broken"' }] });
    // A marker behind the bad messages: once its delivery is sent and logged, every consumer of both topics
    // is past them, and a consumer puts its dead letters on Kafka before it moves on, so they are all there.
    const after = await stack.api<{ id: string }>('ingest', 'POST', '/v1/events', { tenantId: 'umbrella', type: 'virus.released', data: {} });
    await receiver.waitFor((r) => r.headers['webhook-id'] === after.body.id, { what: 'the event sent after the bad messages' });
    await waitForDelivery<{ status: string }>(stack, 'umbrella', after.body.id, (d) => d.status === 'succeeded');

    const letters = (await readTopic(stack, MessagesDeadLetteredTopic, (values) => values.length >= 4)).map((v) => JSON.parse(v) as DeadLetter);
    const byConsumer = (t: TopicContract) =>
      letters
        .filter((l) => l.source.topic === topic(t))
        .map((l) => l.consumer)
        .sort();
    expect(byConsumer(DeliveriesRequestedTopic)).toEqual([group('dispatcher'), group('log-store')].sort());
    expect(byConsumer(EventsAcceptedTopic)).toEqual([group('log-store'), group('rules-engine')].sort());
    const request = letters.find((l) => l.source.topic === topic(DeliveriesRequestedTopic))!;
    expect(request.value).toBe(badRequest);
    expect(request.issues).toEqual(expect.arrayContaining([{ field: 'deliveryId', rule: 'must be a UUID' }]));
    expect(letters.find((l) => l.source.topic === topic(EventsAcceptedTopic))?.reason).toMatch(/^\(root\): message value is not valid JSON/);
    // The read stops at four letters; each service's own count is what would show a fifth, late one.
    expect(await metric('dispatcher', 'hookline_messages_dead_lettered_total')).toBe(1);
    expect(await metric('rules-engine', 'hookline_messages_dead_lettered_total')).toBe(1);
    expect(await metric('log-store', 'hookline_messages_dead_lettered_total')).toBe(2);
  });

  it('keeps the last good value of an endpoint whose record on the compacted topic fails its schema, and counts it', async () => {
    const created = await stack.api<{ id: string }>('admin-api', 'POST', '/v1/tenants/tyrell/endpoints', {
      url: `${receiver.url}/compacted`,
      eventTypes: ['*'],
    });
    expect(created.status).toBe(201);
    await producer.send({
      topic: topic(EndpointsChangedTopic),
      messages: [{ key: created.body.id, value: JSON.stringify({ id: created.body.id, enabled: 'yes' }) }],
    });
    await waitFor(async () => (await metric('rules-engine', 'hookline_messages_invalid_total')) === 1, {
      timeoutMs: 20_000,
      description: 'rules-engine counting the invalid record',
    });
    await waitFor(async () => (await metric('dispatcher', 'hookline_messages_invalid_total')) === 1, {
      timeoutMs: 20_000,
      description: 'the dispatcher counting the invalid record',
    });
    const sent = await stack.api<{ id: string }>('ingest', 'POST', '/v1/events', { tenantId: 'tyrell', type: 'replicant.retired', data: {} });
    await receiver.waitFor((r) => r.headers['webhook-id'] === sent.body.id && r.path === '/compacted', { what: 'a delivery to the endpoint' });
  });
});
