import type { EndpointId, TenantId } from '@hookline/contracts';
import { EndpointEntity } from '../endpoint.entity';
import { fixedClock, InMemoryEndpoints, ReadableSealing, RecordingPublication } from '../endpoint.fakes';
import { RotateEndpointSecret } from './rotate-endpoint-secret.usecase';

const acme = 'acme' as TenantId;
const ID = '5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11' as EndpointId;
const NOW = '2026-11-22T10:00:00.000Z';

function setup(secrets: EndpointEntity['secrets']) {
  const endpoints = new InMemoryEndpoints();
  endpoints.rows.set(ID, Object.assign(new EndpointEntity(), { id: ID, tenantId: acme, secrets, signingKeys: [], version: 3, deletedAt: null }));
  const publication = new RecordingPublication();
  return { endpoints, publication, useCase: new RotateEndpointSecret(endpoints, publication, new ReadableSealing(), fixedClock(NOW)) };
}

describe(RotateEndpointSecret.name, () => {
  it('adds a new secret and keeps the current ones signing for the overlap', async () => {
    const { endpoints, publication, useCase } = setup([{ secret: 'old', createdAt: '2026-01-01T00:00:00Z', expiresAt: null }]);
    const { secret, previousSecretsExpireAt, endpoint } = await useCase.execute(acme, ID, 24);
    expect(previousSecretsExpireAt).toBe('2026-11-23T10:00:00.000Z');
    expect(endpoints.rows.get(ID)!.secrets).toEqual([
      { secret: 'old', createdAt: '2026-01-01T00:00:00Z', expiresAt: '2026-11-23T10:00:00.000Z' },
      { secret: `sealed(acme/${ID}):${secret}`, createdAt: NOW, expiresAt: null },
    ]);
    expect(endpoint.version).toBe(4);
    expect(publication.published).toEqual([ID]);
  });

  it('never extends a secret that was to expire sooner, and drops the expired ones', async () => {
    const { endpoints, useCase } = setup([
      { secret: 'expired', createdAt: '', expiresAt: '2026-11-22T09:00:00.000Z' },
      { secret: 'soon', createdAt: '', expiresAt: '2026-11-22T12:00:00.000Z' },
      { secret: 'current', createdAt: '', expiresAt: null },
    ]);
    await useCase.execute(acme, ID, 48);
    expect(endpoints.rows.get(ID)!.secrets.map((s) => [s.secret.startsWith('sealed') ? 'new' : s.secret, s.expiresAt])).toEqual([
      ['soon', '2026-11-22T12:00:00.000Z'],
      ['current', '2026-11-24T10:00:00.000Z'],
      ['new', null],
    ]);
  });

  it('with no overlap, ends the previous secrets now', async () => {
    const { endpoints, useCase } = setup([{ secret: 'old', createdAt: '', expiresAt: null }]);
    await useCase.execute(acme, ID, 0);
    expect(endpoints.rows.get(ID)!.secrets[0].expiresAt).toBe(NOW);
  });

  it("answers 404 for another tenant's endpoint and changes nothing", async () => {
    const { endpoints, publication, useCase } = setup([{ secret: 'old', createdAt: '', expiresAt: null }]);
    await expect(useCase.execute('globex' as TenantId, ID, 24)).rejects.toMatchObject({ status: 404, code: 'not_found' });
    expect(endpoints.rows.get(ID)!.secrets).toHaveLength(1);
    expect(publication.published).toEqual([]);
  });
});
