import type { EndpointId, TenantId } from '@hookline/contracts';
import { EndpointEntity, type StoredSigningKey } from '../../endpoints/endpoint.entity';
import { InMemoryEndpoints, RecordingPublication } from '../../endpoints/endpoint.fakes';
import { DeleteSigningKey } from './delete-signing-key.usecase';

const acme = 'acme' as TenantId;
const ID = '5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11' as EndpointId;
const key = (keyId: string, algorithm: StoredSigningKey['algorithm']): StoredSigningKey => ({
  keyId,
  algorithm,
  publicKey: 'p',
  privateKey: 's',
  createdAt: '',
});

function setup(signatureSchemes: EndpointEntity['signatureSchemes'], signingKeys: StoredSigningKey[]) {
  const endpoints = new InMemoryEndpoints();
  endpoints.rows.set(
    ID,
    Object.assign(new EndpointEntity(), { id: ID, tenantId: acme, signatureSchemes, signingKeys, secrets: [], version: 1, deletedAt: null }),
  );
  const publication = new RecordingPublication();
  return { endpoints, publication, useCase: new DeleteSigningKey(endpoints, publication) };
}

describe(DeleteSigningKey.name, () => {
  it('deletes a key while another of its algorithm still signs, and publishes', async () => {
    const { endpoints, publication, useCase } = setup(['ed25519'], [key('a', 'ed25519'), key('b', 'ed25519')]);
    await useCase.execute(acme, ID, 'a');
    expect(endpoints.rows.get(ID)!.signingKeys.map((k) => k.keyId)).toEqual(['b']);
    expect(publication.published).toEqual([ID]);
  });

  it('keeps the last key of a scheme the endpoint signs with: 409 key_in_use', async () => {
    const { endpoints, useCase } = setup(['v1', 'rsa-sha256'], [key('r', 'rsa-sha256'), key('e', 'ed25519')]);
    await expect(useCase.execute(acme, ID, 'r')).rejects.toMatchObject({ status: 409, code: 'key_in_use' });
    expect(endpoints.rows.get(ID)!.signingKeys).toHaveLength(2);
  });

  it('deletes the last key of a scheme the endpoint no longer signs with', async () => {
    const { endpoints, useCase } = setup(['v1'], [key('e', 'ed25519')]);
    await useCase.execute(acme, ID, 'e');
    expect(endpoints.rows.get(ID)!.signingKeys).toEqual([]);
  });

  it('answers 404 for an unknown key and leaves the version alone', async () => {
    const { endpoints, publication, useCase } = setup(['v1'], []);
    await expect(useCase.execute(acme, ID, 'nope')).rejects.toMatchObject({ status: 404, message: `key nope of endpoint ${ID} not found` });
    expect(endpoints.rows.get(ID)!.version).toBe(1);
    expect(publication.published).toEqual([]);
  });
});
