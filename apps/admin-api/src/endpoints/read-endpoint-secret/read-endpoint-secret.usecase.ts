import { activeSecrets, type EndpointId, type TenantId } from '@hookline/contracts';
import { ApiError, notFound } from '@hookline/service-kit';
import type { Logger } from 'pino';
import type { Clock, EndpointStore, SecretSealing } from '../endpoint.ports';

/**
 * The secrets that sign right now, opened: the newest last, and more than one
 * during a rotation, with when the older ones stop. A secret that does not open with this service's master
 * key is a 500 `key_unavailable` (logged, never echoed).
 */
export class ReadEndpointSecret {
  constructor(
    private readonly endpoints: Pick<EndpointStore, 'findLive'>,
    private readonly sealing: SecretSealing,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async execute(tenantId: TenantId, id: EndpointId): Promise<{ secret: string; secrets: string[]; previousSecretsExpireAt: string | null }> {
    const endpoint = await this.endpoints.findLive(tenantId, id);
    if (!endpoint) throw notFound(`endpoint ${id}`);
    const active = activeSecrets(endpoint.secrets, this.clock.now());
    // During a rotation's overlap the older secrets sign until then (the latest of their ends); null with one secret.
    const ends = active.flatMap((s) => (s.expiresAt ? [s.expiresAt] : [])).sort();
    const previousSecretsExpireAt = ends.length ? new Date(ends[ends.length - 1]).toISOString() : null;
    let secrets: string[];
    try {
      secrets = active.map((s) => this.sealing.openSecret(endpoint, s.secret));
    } catch (err) {
      this.logger.error({ err, endpointId: id }, 'an endpoint secret does not open with the master key');
      throw new ApiError(500, 'key_unavailable', `the secret of endpoint ${id} does not open with this service's master key`);
    }
    return { secret: secrets[secrets.length - 1], secrets, previousSecretsExpireAt };
  }
}
