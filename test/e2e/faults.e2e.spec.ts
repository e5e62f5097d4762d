import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Row, runScenario, SCENARIOS, type ScenarioSettings } from '../../tools/src/faults/scenarios';
import { World } from '../../tools/src/faults/world';

/*
 * The quick variants of the fault suite's scenarios that no other end-to-end
 * suite covers (`npm run faults -- --quick --only 1,3`): services killed with
 * kill -9, and PostgreSQL stopped. A failing endpoint (scenario 4) and poison
 * records (scenario 6) have suites of their own (retry-policy, delivery-exhausted,
 * endpoint-states, poison-records), so `npm test` does not pay for them twice;
 * `npm run faults` runs all seven. They kill services and stop PostgreSQL, so
 * they run on a Kafka and PostgreSQL of their own, not on the run's shared servers.
 */
describe('fault suite, quick scenarios', () => {
  let settings: ScenarioSettings;
  const rows: Row[] = [];

  beforeAll(async () => {
    const log = process.env.HOOKLINE_TEST_VERBOSE ? (m: string) => process.stderr.write(`[faults] ${m}\n`) : () => undefined;
    settings = { world: await World.start(log), quick: true, logDir: mkdtempSync(join(tmpdir(), 'hookline-faults-logs-')), log };
  }, 120_000);

  afterAll(async () => {
    await settings?.world.stop();
    if (rows.length) process.stdout.write(`${rows.map((r) => `${r.scenario}: ${r.pass ? 'PASS' : 'FAIL'}; ${r.notes.join('; ')}`).join('\n')}\n`);
    // The services' logs are kept only when they may explain a failure.
    if (settings && rows.length === 2 && rows.every((r) => r.pass)) rmSync(settings.logDir, { recursive: true, force: true });
    else if (settings) process.stdout.write(`service logs kept in ${settings.logDir}\n`);
  });

  it.each([1, 3])(
    'scenario %i: nothing lost, no other id, every signature valid, the log complete',
    async (n) => {
      const row = await runScenario(
        SCENARIOS.find((s) => s.n === n)!,
        settings,
      );
      rows.push(row);
      expect(row.notes.filter((note) => note.startsWith('FAILED'))).toEqual([]);
      expect(row.sent).toBeGreaterThan(0);
      expect(row.delivered).toBeGreaterThan(0);
      expect({ lost: row.lost, repeatedDifferentId: row.repeatedDifferentId, invalidSignatures: row.invalidSignatures, notInLog: row.notInLog }).toEqual({
        lost: 0,
        repeatedDifferentId: 0,
        invalidSignatures: 0,
        notInLog: 0,
      });
      expect(row.pass).toBe(true);
    },
    300_000,
  );
});
