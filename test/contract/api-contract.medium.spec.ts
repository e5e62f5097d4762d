import { startAdminApi } from '../../apps/admin-api/src/admin-api.fixtures';
import { freshDatabase, runContractTest, schemathesis, type InProcessService } from '@hookline/testing';
import { randomBytes } from 'node:crypto';
import { startIngest } from '../../apps/ingest/src/ingest.fixtures';

/**
 * The contract test: Schemathesis drives admin-api and ingest, each in
 * process on a real PostgreSQL, from the OpenAPI document the service serves,
 * with generated valid and invalid inputs, and fails on any 5xx or any answer
 * the document does not allow (status, content type, body schema). The seed is
 * fixed so a run can be repeated; `HOOKLINE_CONTRACT_SEED` picks another.
 */
describe('API contract (Schemathesis)', () => {
  const database = freshDatabase();
  const token = `admin-token-${randomBytes(8).toString('hex')}`;
  const seed = Number(process.env.HOOKLINE_CONTRACT_SEED ?? 20261129);
  let admin: InProcessService;
  let ingest: InProcessService;

  beforeAll(async () => {
    await schemathesis();
    admin = await startAdminApi(database.url, token);
    ingest = await startIngest(database.url, token);
  }, 300_000);
  afterAll(async () => {
    await admin?.close();
    await ingest?.close();
  });

  it.each([
    ['admin-api', () => admin],
    ['ingest', () => ingest],
  ])(
    '%s answers every generated request without a 5xx and as its document says',
    async (_name, service) => {
      // 25 generated cases per operation in the fuzzing phase (examples and boundary values are all run): the
      // document now has 70-odd operations, and the full test run must stay within CI's 20 minutes.
      const result = await runContractTest({ api: service().url, token, seed, maxExamples: 25 });
      // The output names each failing check with a curl line that reproduces it.
      expect({ seed, exitCode: result.exitCode, output: result.exitCode === 0 ? '' : result.output }).toEqual({ seed, exitCode: 0, output: '' });
      // A run that tested nothing would pass as well: every operation of the document was driven.
      expect(result.output).toMatch(/Tested: (\d+)/);
      const [, selected, total] = /Selected: (\d+)\/(\d+)/.exec(result.output) ?? [];
      expect(Number(/Tested: (\d+)/.exec(result.output)?.[1])).toBe(Number(total));
      expect(selected).toBe(total);
    },
    600_000,
  );
});
