import { Stack } from '@hookline/stack';

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
