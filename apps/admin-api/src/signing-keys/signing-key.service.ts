import type { TenantId } from '@hookline/contracts';
import { ConflictException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { EndpointSealing } from '../endpoints/endpoint-sealing';
import type { StoredSigningKey } from '../endpoints/endpoint.entity';
import { EndpointService } from '../endpoints/endpoint.service';
import { PublishEndpointChanges } from '../publish-endpoint-changes/publish-endpoint-changes.usecase';
import { newSigningKey } from './new-signing-key';
import { MAX_KEYS_PER_ALGORITHM, type CreateSigningKey } from './signing-key.dto';

/**
 * Key pairs of an endpoint for the `ed25519` and `rsa-sha256` schemes. Every
 * key of a scheme the endpoint uses signs each delivery, so a key is rotated
 * by adding the new one, letting receivers trust it, then deleting the old.
 */
@Injectable()
export class SigningKeyService {
  constructor(
    private readonly endpoints: EndpointService,
    private readonly sealing: EndpointSealing,
    private readonly publish: PublishEndpointChanges,
  ) {}

  async list(tenantId: TenantId, endpointId: string): Promise<StoredSigningKey[]> {
    return (await this.endpoints.get(tenantId, endpointId)).signingKeys;
  }

  async create(tenantId: TenantId, endpointId: string, input: CreateSigningKey): Promise<StoredSigningKey> {
    let created: StoredSigningKey | undefined;
    const saved = await this.endpoints.change(tenantId, endpointId, async (endpoint) => {
      const same = endpoint.signingKeys.filter((k) => k.algorithm === input.algorithm).length;
      if (same >= MAX_KEYS_PER_ALGORITHM) {
        throw new UnprocessableEntityException({
          error: 'too_many_keys',
          message: `algorithm: an endpoint holds at most ${MAX_KEYS_PER_ALGORITHM} ${input.algorithm} keys; delete one first`,
          issues: [{ field: 'algorithm', rule: `at most ${MAX_KEYS_PER_ALGORITHM} keys per algorithm` }],
        });
      }
      created = await newSigningKey(this.sealing, endpoint, input.algorithm, input.modulusLength);
      endpoint.signingKeys = [...endpoint.signingKeys, created];
    });
    await this.publish.executeOrDefer(saved.id);
    return created as StoredSigningKey;
  }

  /** Deletes a key; the last key of a scheme the endpoint signs with stays (409) until the scheme is removed. */
  async remove(tenantId: TenantId, endpointId: string, keyId: string): Promise<void> {
    const saved = await this.endpoints.change(tenantId, endpointId, (endpoint) => {
      const key = endpoint.signingKeys.find((k) => k.keyId === keyId);
      if (!key) throw new NotFoundException({ error: 'not_found', message: `key ${keyId} not found on endpoint ${endpointId}` });
      const rest = endpoint.signingKeys.filter((k) => k !== key);
      if (endpoint.signatureSchemes.includes(key.algorithm) && !rest.some((k) => k.algorithm === key.algorithm)) {
        throw new ConflictException({
          error: 'key_in_use',
          message: `key ${keyId} is the endpoint's last ${key.algorithm} key and the endpoint signs with ${key.algorithm}; add another key or remove ${key.algorithm} from signatureSchemes first`,
        });
      }
      endpoint.signingKeys = rest;
    });
    await this.publish.executeOrDefer(saved.id);
  }
}
