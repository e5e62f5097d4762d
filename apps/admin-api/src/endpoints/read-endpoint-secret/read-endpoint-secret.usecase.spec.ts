import type { EndpointId, TenantId } from '@hookline/contracts';
import pino from 'pino';
import { EndpointEntity } from '../endpoint.entity';
import { fixedClock, InMemoryEndpoints, ReadableSealing } from '../endpoint.fakes';
import { ReadEndpointSecret } from './read-endpoint-secret.usecase';

const acme = 'acme' as TenantId;
const ID = '5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11' as EndpointId;
const sealed = (s: string) => new ReadableSealing().sealSecret({ tenantId: acme, id: ID }, s);

function setup(secrets: EndpointEntity['secrets']) {
  const endpoints = new InMemoryEndpoints();
  endpoints.rows.set(ID, Object.assign(new EndpointEntity(), { id: ID, tenantId: acme, secrets, signingKeys: [], version: 1, deletedAt: null }));
  const lines: string[] = [];
  const logger = pino({ level: 'error' }, { write: (line: string) => void lines.push(line) });
  return { lines, useCase: new ReadEndpointSecret(endpoints, new ReadableSealing(), fixedClock('2026-11-22T10:00:00Z'), logger) };
}

describe(ReadEndpointSecret.name, () => {
  it('opens the secrets that sign now, the newest last', async () => {
    const { useCase } = setup([
      { secret: sealed('whsec_old'), createdAt: '', expiresAt: '2026-11-23T00:00:00Z' },
      { secret: sealed('whsec_gone'), createdAt: '', expiresAt: '2026-11-22T09:00:00Z' },
      { secret: sealed('whsec_new'), createdAt: '', expiresAt: null },
    ]);
    expect(await useCase.execute(acme, ID)).toEqual({
      secret: 'whsec_new',
      secrets: ['whsec_old', 'whsec_new'],
      previousSecretsExpireAt: '2026-11-23T00:00:00.000Z',
    });
  });

  it('says no overlap ends when one secret signs', async () => {
    const { useCase } = setup([{ secret: sealed('whsec_only'), createdAt: '', expiresAt: null }]);
    expect(await useCase.execute(acme, ID)).toEqual({ secret: 'whsec_only', secrets: ['whsec_only'], previousSecretsExpireAt: null });
  });

  it('answers 500 key_unavailable when a secret does not open, naming no secret', async () => {
    const { useCase, lines } = setup([{ secret: 'sealed(globex/x):whsec_moved', createdAt: '', expiresAt: null }]);
    const error = await useCase.execute(acme, ID).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 500, code: 'key_unavailable' });
    expect(JSON.stringify(error) + String(error) + lines.join('')).not.toContain('whsec_moved');
    expect(lines).toHaveLength(1);
  });
});
