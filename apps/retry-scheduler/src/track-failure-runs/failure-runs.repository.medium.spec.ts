import type { EndpointId } from '@hookline/contracts';
import { freshDatabase } from '@hookline/testing';
import type { FailureRun } from './failure-run';
import { FailureRunsRepository } from './failure-runs.repository';

/** The failure runs on a real PostgreSQL: written and read back whole, and nothing written when the work fails. */
describe(FailureRunsRepository.name, () => {
  const database = freshDatabase();
  const repo = () => new FailureRunsRepository(database.db);
  const E = '5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11' as EndpointId;
  const run = (failedDeliveries: string[], disableRequested = false): FailureRun => ({
    endpointId: E,
    tenantId: 'acme',
    failedDeliveries,
    stateVersion: 2,
    disableRequested,
  });
  const read = async () => {
    let seen: FailureRun | undefined;
    await repo().update([E], async (current) => ((seen = current.get(E)), []));
    return seen;
  };

  it('stores a run and hands it back at the next update, replaced as a whole', async () => {
    expect(await read()).toBeUndefined();
    const ids = ['0d2f4c7e-1111-4222-8333-000000000001', '0d2f4c7e-1111-4222-8333-000000000002'];
    await repo().update([E], async () => [run(ids)]);
    expect(await read()).toEqual(run(ids));
    await repo().update([E], async () => [run([], true)]);
    expect(await read()).toEqual(run([], true));
  });

  it('names the endpoints whose run is under way: a failed delivery in it, or a disable asked for', async () => {
    const [F, D, Q, N] = [
      '5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c12',
      '5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c13',
      '5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c14',
      '5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c15',
    ] as EndpointId[];
    const at = (endpointId: EndpointId, failedDeliveries: string[], disableRequested = false) => ({ ...run(failedDeliveries, disableRequested), endpointId });
    await repo().update([F, D, Q], async () => [at(F, ['0d2f4c7e-1111-4222-8333-000000000001']), at(D, [], true), at(Q, [])]);
    expect((await repo().underWay([F, D, Q, N])).sort()).toEqual([F, D].sort());
    expect(await repo().underWay([Q, N])).toEqual([]);
  });

  it('writes nothing when the work fails (the disable request could not be produced)', async () => {
    await repo().update([E], async () => [run([])]);
    await expect(repo().update([E], async () => Promise.reject(new Error('broker down')))).rejects.toThrow('broker down');
    expect(await read()).toEqual(run([]));
  });
});
