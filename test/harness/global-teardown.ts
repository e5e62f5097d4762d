import type { Infra } from '@hookline/infra';

export default async function globalTeardown(): Promise<void> {
  await ((globalThis as Record<string, unknown>).__hooklineInfra as Infra | undefined)?.stop();
}
