import { EventsAcceptedTopic, LogStoreDeadLetteredTopic, type ParkedRecord, type TopicContract } from '@hookline/contracts';
import { waitFor } from '@hookline/infra';
import { createKafka, TopicNames } from '@hookline/kafka';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { readTopic, stackForSuite } from '../harness/test-stack';

/**
 * A record the delivery log's database refuses must not stop the records
 * behind it, and a consumer that cannot make progress must say so in
 * /health/ready. The refusal is made deterministic with a trigger on the
 * stack's own `events` table, so it does not depend on what ingest accepts.
 */
describe('records the database refuses', () => {
  const { stack } = stackForSuite({ env: { HOOKLINE_CONSUMER_STUCK_AFTER_MS: '3000' } });
  let connected: Client;
  const topic = (c: TopicContract) => new TopicNames(stack.prefix).of(c);

  beforeAll(async () => {
    connected = new Client({ connectionString: stack.databaseUrl });
    await connected.connect();
  });
  afterAll(() => connected?.end());

  /** Makes inserting the event with id `eventId` into the log fail with SQLSTATE `sqlstate`, until `allow` is called. */
  const refuse = async (name: string, eventId: string, sqlstate: string) => {
    await connected.query(
      `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN IF NEW.id = '${eventId}' THEN RAISE EXCEPTION 'refused by the test' USING ERRCODE = '${sqlstate}'; END IF; RETURN NEW; END $$`,
    );
    await connected.query(`CREATE TRIGGER ${name} BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION ${name}()`);
    return { allow: () => connected.query(`DROP TRIGGER ${name} ON events`) };
  };

  const loggedIds = async (tenantId: string): Promise<string[]> =>
    (await connected.query<{ id: string }>('SELECT id FROM events WHERE tenant_id = $1 ORDER BY id', [tenantId])).rows.map((r) => r.id);

  const metric = async (name: string) => {
    const text = await (await fetch(`${stack.url('log-store')}/metrics`)).text();
    return text
      .split('\n')
      .filter((line) => line.startsWith(name))
      .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
  };

  const ready = async () => {
    const res = await fetch(`${stack.url('log-store')}/health/ready`);
    return { status: res.status, body: await res.text() };
  };

  /** Where each accepted event of `ids` sits on the accepted-events topic. */
  const positions = async (ids: string[]): Promise<Map<string, { partition: number; offset: string }>> => {
    const found = new Map<string, { partition: number; offset: string }>();
    const consumer = createKafka({ clientId: 'poison-test', brokers: [stack.brokers] }).consumer({
      groupId: `test-positions-${randomBytes(4).toString('hex')}`,
    });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: topic(EventsAcceptedTopic), fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ partition, message }) => {
          const id = (JSON.parse(message.value!.toString()) as { id: string }).id;
          if (ids.includes(id)) found.set(id, { partition, offset: message.offset });
        },
      });
      await waitFor(() => found.size === ids.length, { timeoutMs: 20_000, description: 'the accepted events on their topic' });
      return found;
    } finally {
      await consumer.disconnect();
    }
  };

  it('parks the one refused record (SQLSTATE 22008) on log-store’s dead-letter topic and logs every other event, before and after it', async () => {
    const tenantId = 'weyland';
    const poison = 'evt_poison_22008';
    await refuse('refuse_poison', poison, '22008');
    const before = Array.from({ length: 30 }, (_, i) => `evt_before_${String(i).padStart(2, '0')}`);
    const after = Array.from({ length: 30 }, (_, i) => `evt_after_${String(i).padStart(2, '0')}`);
    const later = Array.from({ length: 10 }, (_, i) => `evt_later_${String(i).padStart(2, '0')}`);
    // One tenant, so one partition: the refused record sits between the others, in the same batch.
    const sent = await stack.api('ingest', 'POST', '/v1/events/batch', {
      events: [...before, poison, ...after].map((id) => ({ id, tenantId, type: 'ship.launched', data: { id } })),
    });
    expect(sent.status).toBe(202);
    expect(
      (await stack.api('ingest', 'POST', '/v1/events/batch', { events: later.map((id) => ({ id, tenantId, type: 'ship.launched', data: {} })) })).status,
    ).toBe(202);

    const expected = [...before, ...after, ...later].sort();
    await waitFor(async () => (await loggedIds(tenantId)).length >= expected.length, {
      timeoutMs: 30_000,
      description: 'every event but the refused one in the log',
    });
    const letters = (await readTopic(stack, LogStoreDeadLetteredTopic, (values) => values.length >= 1)).map((v) => JSON.parse(v) as ParkedRecord);
    const where = (await positions([poison, before[0]])).get(poison)!;

    expect(await loggedIds(tenantId)).toEqual(expected);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      source: { topic: topic(EventsAcceptedTopic), partition: where.partition, offset: where.offset, key: tenantId },
      consumer: new TopicNames(stack.prefix).group('log-store'),
      valueEncoding: 'utf8',
      error: { class: 'permanent', code: '22008' },
    });
    expect(JSON.parse(letters[0].value!)).toMatchObject({ id: poison, tenantId, data: { id: poison } });
    // The topic read stops at one letter; the service's own count would show a second, late one.
    expect(await metric('hookline_messages_parked_total')).toBe(1);
    expect(await ready()).toMatchObject({ status: 200 });
  });

  it('answers 503 on /health/ready naming the topic, partition and error while a partition fails transiently for too long, and 200 once it recovers', async () => {
    const tenantId = 'tyrell';
    const stuck = 'evt_disk_full';
    const refusal = await refuse('refuse_disk_full', stuck, '53100'); // disk_full: the database's trouble, not the record's
    expect((await stack.api('ingest', 'POST', '/v1/events', { id: stuck, tenantId, type: 'replicant.made', data: {} })).status).toBe(202);
    const { partition } = (await positions([stuck])).get(stuck)!;

    const down = await waitFor(
      async () => {
        const answer = await ready();
        return answer.status === 503 ? answer.body : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250, description: 'log-store reporting the stuck consumer' },
    );
    expect(down).toContain(`topic ${topic(EventsAcceptedTopic)} partition ${partition}`);
    expect(down).toContain('transient failure 53100');
    expect(down).toContain('consumer log-store');

    await refusal.allow();
    await waitFor(async () => ((await ready()).status === 200 ? true : undefined), { timeoutMs: 30_000, description: 'log-store ready again' });
    await waitFor(async () => (await loggedIds(tenantId)).includes(stuck), { timeoutMs: 20_000, description: 'the event logged once the database takes it' });
    // Retried, never parked: still the one letter of the first test.
    expect(await metric('hookline_messages_parked_total')).toBe(1);
  });
});
