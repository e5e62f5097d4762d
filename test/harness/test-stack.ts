import type { TopicContract } from '@hookline/contracts';
import { waitFor } from '@hookline/infra';
import { createKafka, TopicNames } from '@hookline/kafka';
import { randomBytes } from 'node:crypto';
import { type Instances, Stack } from '@hookline/stack';
import { Receiver, type Responder } from '@hookline/testing';

/** A stack on the run's broker and database (see global-setup.ts), with its own database and topic prefix. */
export function testStack(env: Record<string, string> = {}, instances?: Instances): Stack {
  return new Stack({
    brokers: required('HOOKLINE_TEST_KAFKA_BROKERS'),
    databaseUrl: required('HOOKLINE_TEST_DATABASE_URL'),
    env: { HOOKLINE_ALLOW_PRIVATE_TARGETS: 'true', HOOKLINE_TOPIC_PARTITIONS: '4', ...env },
    instances,
  });
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through jest (test/harness/global-setup.ts starts the infrastructure)`);
  return value;
}

/** A stack and a receiver for one suite: started before its tests, stopped after them. */
export function stackForSuite(options: { env?: Record<string, string>; respond?: Responder; instances?: Instances } = {}): {
  stack: Stack;
  receiver: Receiver;
} {
  const stack = testStack(options.env, options.instances);
  const receiver = new Receiver(options.respond);
  beforeAll(async () => {
    await Promise.all([stack.start(), receiver.start()]);
  }, 180_000);
  afterAll(async () => {
    await stack.stop();
    await receiver.stop();
  });
  return { stack, receiver };
}

/**
 * Polls the delivery log until the event's first delivery satisfies `until`
 * and returns it; fails naming what it waited for. `D` is the suite's view of
 * a delivery (the admin API's JSON).
 */
export function waitForDelivery<D>(
  stack: Stack,
  tenantId: string,
  eventId: string,
  until: (delivery: D) => boolean,
  description = `a delivery of ${eventId}`,
): Promise<D> {
  return waitFor(
    async () => {
      const { body } = await stack.api<{ data: D[] }>(
        'admin-api',
        'GET',
        `/v1/deliveries?tenantId=${encodeURIComponent(tenantId)}&eventId=${encodeURIComponent(eventId)}`,
      );
      const delivery = body.data[0];
      return delivery !== undefined && until(delivery) ? delivery : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 200, description },
  );
}

/**
 * Reads a stack's topic from the beginning, under a throwaway group, until
 * `done` holds for the values read so far (raw message values as text; a
 * tombstone is ''). Fails naming the topic if it does not within 20 s.
 */
export async function readTopic(stack: Stack, contract: Pick<TopicContract, 'name'>, done: (values: string[]) => boolean): Promise<string[]> {
  const topic = new TopicNames(stack.prefix).of(contract);
  const consumer = createKafka({ clientId: 'hookline-test-reader', brokers: [stack.brokers] }).consumer({
    groupId: `test-reader-${randomBytes(4).toString('hex')}`,
  });
  const values: string[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void values.push(message.value?.toString() ?? '') });
    await waitFor(() => done(values), { timeoutMs: 20_000, intervalMs: 100, description: `messages on ${topic} (read ${values.length})` });
    return values;
  } finally {
    await consumer.disconnect();
  }
}
