import { failingEndpoint, hangingEndpoint } from './endpoint.scenarios';
import { killKafka, killServices, stopPostgres } from './outage.scenarios';
import { poison } from './poison.scenario';
import type { Scenario } from './scenario';
import { soak } from './soak.scenario';

export { runScenario, type Row, type Scenario, type ScenarioSettings } from './scenario';

/** The seven scenarios, in the order `npm run faults` runs them (RELIABILITY.md says what each does and checks). */
export const SCENARIOS: Scenario[] = [killServices, killKafka, stopPostgres, failingEndpoint, hangingEndpoint, poison, soak];
