import type { KafkaServer, PostgresServer } from '@hookline/infra';

export default async function globalTeardown(): Promise<void> {
  const started = (globalThis as Record<string, unknown>).__hooklineInfra as { kafka?: KafkaServer; postgres?: PostgresServer } | undefined;
  await Promise.all([started?.kafka?.stop(), started?.postgres?.stop()]);
}
