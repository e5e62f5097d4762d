import { Inject, Injectable, InternalServerErrorException, NotFoundException, UnprocessableEntityException, type OnModuleInit } from '@nestjs/common';
import { activeSecrets, EndpointIdSchema, type EndpointId, type TenantId } from '@hookline/contracts';
import { checkTargetUrl } from '@hookline/egress';
import { generateSecret } from '@hookline/signing';
import { LOGGER } from '@hookline/service-kit';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { ADMIN_CONFIG, type AdminConfig } from '../admin-api.config';
import { PublishEndpointChanges } from '../publish-endpoint-changes/publish-endpoint-changes.usecase';
import { addMissingSigningKeys } from '../signing-keys/new-signing-key';
import { EndpointSealing } from './endpoint-sealing';
import type { CreateEndpoint, UpdateEndpoint } from './endpoint.dto';
import { EndpointEntity } from './endpoint.entity';
import { EndpointRepository } from './endpoint.repository';

/** The endpoint id of a path, or a 404: a string that is no endpoint id names no endpoint. */
const endpointIdOf = (id: string): EndpointId => {
  const parsed = EndpointIdSchema.safeParse(id);
  if (!parsed.success) throw notFound(id);
  return parsed.data;
};
const notFound = (id: string) => new NotFoundException({ error: 'not_found', message: `endpoint ${id} not found` });

/** Endpoint lifecycle: every change is saved, then published to the compacted topic. */
@Injectable()
export class EndpointService implements OnModuleInit {
  constructor(
    private readonly endpoints: EndpointRepository,
    private readonly publish: PublishEndpointChanges,
    private readonly sealing: EndpointSealing,
    @Inject(ADMIN_CONFIG) private readonly config: AdminConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    if (this.config.HOOKLINE_ALLOW_PRIVATE_TARGETS) {
      this.logger.warn('HOOKLINE_ALLOW_PRIVATE_TARGETS=true: endpoints may use http and private addresses; use only for local development');
    }
  }

  /**
   * Creates an endpoint with a fresh `v1`/`hookline-v1` secret and a key pair
   * for each key-pair scheme it signs with. Returns the secret in clear: the
   * row holds it sealed.
   */
  async create(tenantId: TenantId, input: CreateEndpoint): Promise<{ endpoint: EndpointEntity; secret: string }> {
    this.checkUrl(input.url);
    const secret = generateSecret();
    const now = new Date();
    const endpoint = Object.assign(new EndpointEntity(), {
      id: randomUUID() as EndpointId,
      tenantId,
      ...input,
      version: 1,
      publishedVersion: 0,
      deletedAt: null,
    });
    endpoint.secrets = [{ secret: this.sealing.sealSecret(endpoint, secret), createdAt: now.toISOString(), expiresAt: null }];
    endpoint.signingKeys = [];
    await addMissingSigningKeys(this.sealing, endpoint);
    const saved = await this.endpoints.insert(endpoint);
    await this.publish.executeOrDefer(saved.id);
    return { endpoint: saved, secret };
  }

  async get(tenantId: TenantId, id: string): Promise<EndpointEntity> {
    const endpoint = await this.endpoints.findLive(tenantId, endpointIdOf(id));
    if (!endpoint) throw notFound(id);
    return endpoint;
  }

  async update(tenantId: TenantId, id: string, changes: UpdateEndpoint): Promise<EndpointEntity> {
    if (changes.url) this.checkUrl(changes.url);
    const saved = await this.change(tenantId, id, async (endpoint) => {
      Object.assign(endpoint, changes);
      await addMissingSigningKeys(this.sealing, endpoint);
    });
    await this.publish.executeOrDefer(endpointIdOf(id));
    return saved;
  }

  /** Soft-deletes the endpoint and drops its key material: nothing signs for a deleted endpoint again. */
  async delete(tenantId: TenantId, id: string): Promise<void> {
    await this.change(tenantId, id, (endpoint) => {
      Object.assign(endpoint, { deletedAt: new Date(), secrets: [], signingKeys: [] });
    });
    await this.publish.executeOrDefer(endpointIdOf(id));
  }

  /**
   * Applies a change to the latest row of a live endpoint under its lock and
   * bumps the version; 404 for another tenant's endpoint. The caller publishes.
   */
  async change(tenantId: TenantId, id: string, apply: (endpoint: EndpointEntity) => void | Promise<void>): Promise<EndpointEntity> {
    return this.endpoints.withLocked(endpointIdOf(id), async (endpoint, save) => {
      if (!endpoint || endpoint.tenantId !== tenantId || endpoint.deletedAt) throw notFound(id);
      await apply(endpoint);
      endpoint.version += 1;
      return save(endpoint);
    });
  }

  /**
   * Rotates the signing secret: a new one signs from now on, and the current
   * ones keep signing beside it for `overlapHours` (default 24 h), so
   * receivers can switch without a gap. Secrets past their expiry are dropped.
   */
  async rotateSecret(tenantId: TenantId, id: string, overlapHours: number): Promise<{ endpoint: EndpointEntity; secret: string }> {
    const secret = generateSecret();
    const now = new Date();
    const expiresAt = new Date(now.getTime() + overlapHours * 3_600_000).toISOString();
    const endpoint = await this.change(tenantId, id, (e) => {
      const live = activeSecrets(e.secrets, now);
      e.secrets = [
        ...live.map((s) => ({ ...s, expiresAt: s.expiresAt !== null && s.expiresAt < expiresAt ? s.expiresAt : expiresAt })),
        { secret: this.sealing.sealSecret(e, secret), createdAt: now.toISOString(), expiresAt: null },
      ];
    });
    await this.publish.executeOrDefer(endpointIdOf(id));
    return { endpoint, secret };
  }

  /** The secrets that sign right now (more than one during a rotation), opened. */
  async secrets(tenantId: TenantId, id: string): Promise<string[]> {
    const endpoint = await this.get(tenantId, id);
    try {
      return activeSecrets(endpoint.secrets, new Date()).map((s) => this.sealing.openSecret(endpoint, s.secret));
    } catch (err) {
      this.logger.error({ err, endpointId: id }, 'an endpoint secret does not open with the master key');
      throw new InternalServerErrorException({
        error: 'key_unavailable',
        message: `the secret of endpoint ${id} does not open with this service's master key`,
      });
    }
  }

  /** Refuses targets Hookline must never call (SSRF), with the reason, before anything is saved. */
  private checkUrl(raw: string): void {
    const target = checkTargetUrl(raw, { allowPrivateTargets: this.config.HOOKLINE_ALLOW_PRIVATE_TARGETS });
    if (!target.ok)
      throw new UnprocessableEntityException({ error: 'target_refused', message: `url: ${target.reason}`, issues: [{ field: 'url', rule: target.reason }] });
  }
}
