import { Stack } from '@hookline/stack';
import { Receiver, type Responder } from '@hookline/testing';

/** A stack on the run's broker and database (see global-setup.ts), with its own database and topic prefix. */
export function testStack(env: Record<string, string> = {}): Stack {
  return new Stack({
    brokers: required('HOOKLINE_TEST_KAFKA_BROKERS'),
    databaseUrl: required('HOOKLINE_TEST_DATABASE_URL'),
    env: { HOOKLINE_ALLOW_PRIVATE_TARGETS: 'true', HOOKLINE_TOPIC_PARTITIONS: '4', ...env },
  });
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through jest (test/harness/global-setup.ts starts the infrastructure)`);
  return value;
}

/** A stack and a receiver for one suite: started before its tests, stopped after them. */
export function stackForSuite(options: { env?: Record<string, string>; respond?: Responder } = {}): { stack: Stack; receiver: Receiver } {
  const stack = testStack(options.env);
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
