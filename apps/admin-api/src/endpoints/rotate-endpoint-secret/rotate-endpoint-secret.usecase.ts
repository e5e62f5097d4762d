import { activeSecrets, type EndpointId, type TenantId } from '@hookline/contracts';
import { notFound } from '@hookline/service-kit';
import { generateSecret } from '@hookline/signing';
import type { EndpointEntity } from '../endpoint.entity';
import type { Clock, EndpointPublication, EndpointStore, SecretSealing } from '../endpoint.ports';

/**
 * Rotates the signing secret: a new one signs from now on, and the ones
 * signing now keep signing beside it for `overlapHours`, so receivers switch
 * without a gap. An overlap never extends a secret that was to expire sooner;
 * secrets past their expiry are dropped. Returns the new secret in clear.
 */
export class RotateEndpointSecret {
  constructor(
    private readonly endpoints: Pick<EndpointStore, 'change'>,
    private readonly publication: EndpointPublication,
    private readonly sealing: SecretSealing,
    private readonly clock: Clock,
  ) {}

  async execute(
    tenantId: TenantId,
    id: EndpointId,
    overlapHours: number,
  ): Promise<{ endpoint: EndpointEntity; secret: string; previousSecretsExpireAt: string | null }> {
    const secret = generateSecret();
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + overlapHours * 3_600_000).toISOString();
    const endpoint = await this.endpoints.change(tenantId, id, (e) => {
      const previous = activeSecrets(e.secrets, now).map((s) => ({
        ...s,
        expiresAt: s.expiresAt !== null && s.expiresAt < expiresAt ? s.expiresAt : expiresAt,
      }));
      e.secrets = [...previous, { secret: this.sealing.sealSecret(e, secret), createdAt: now.toISOString(), expiresAt: null }];
    });
    if (!endpoint) throw notFound(`endpoint ${id}`);
    await this.publication.executeOrDefer(id);
    return { endpoint, secret, previousSecretsExpireAt: endpoint.secrets.find((s) => s.expiresAt)?.expiresAt ?? null };
  }
}
