import { startTestInfra } from './global-setup';

/** The medium tier: a real PostgreSQL, no Kafka. */
export default function mediumSetup(): Promise<void> {
  return startTestInfra(true);
}
