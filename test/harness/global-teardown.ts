import { started } from './global-setup';

/** Stops what the run's setups started; a second tier's teardown finds nothing left. */
export default async function globalTeardown(): Promise<void> {
  const infras = started().splice(0);
  await Promise.all(infras.map((infra) => infra.stop()));
}
