import { Inject, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { generateSecret } from '@hookline/signing';
import { randomUUID } from 'node:crypto';
import { ADMIN_CONFIG, type AdminConfig } from '../admin-api.config';
import { PublishEndpointChanges } from '../publish-endpoint-changes/publish-endpoint-changes.usecase';
import type { CreateEndpoint, UpdateEndpoint } from './endpoint.dto';
import { EndpointEntity } from './endpoint.entity';
import { EndpointRepository } from './endpoint.repository';

/** Endpoint lifecycle: every change is saved, then published to the compacted topic. */
@Injectable()
export class EndpointService {
  constructor(
    private readonly endpoints: EndpointRepository,
    private readonly publish: PublishEndpointChanges,
    @Inject(ADMIN_CONFIG) private readonly config: AdminConfig,
  ) {}

  async create(tenantId: string, input: CreateEndpoint): Promise<{ endpoint: EndpointEntity; secret: string }> {
    this.checkUrl(input.url);
    const secret = generateSecret();
    const now = new Date();
    const endpoint = Object.assign(new EndpointEntity(), {
      id: randomUUID(),
      tenantId,
      ...input,
      secrets: [{ secret, createdAt: now.toISOString(), expiresAt: null }],
      version: 1,
      publishedVersion: 0,
      deletedAt: null,
    });
    const saved = await this.endpoints.insert(endpoint);
    await this.publish.executeOrDefer(saved);
    return { endpoint: saved, secret };
  }

  async get(tenantId: string, id: string): Promise<EndpointEntity> {
    const endpoint = await this.endpoints.findLive(tenantId, id);
    if (!endpoint) throw new NotFoundException({ error: 'not_found', message: `endpoint ${id} not found` });
    return endpoint;
  }

  async update(tenantId: string, id: string, changes: UpdateEndpoint): Promise<EndpointEntity> {
    if (changes.url) this.checkUrl(changes.url);
    const endpoint = await this.get(tenantId, id);
    Object.assign(endpoint, changes, { version: endpoint.version + 1 });
    const saved = await this.endpoints.save(endpoint);
    await this.publish.executeOrDefer(saved);
    return saved;
  }

  async delete(tenantId: string, id: string): Promise<void> {
    const endpoint = await this.get(tenantId, id);
    Object.assign(endpoint, { deletedAt: new Date(), version: endpoint.version + 1 });
    const saved = await this.endpoints.save(endpoint);
    await this.publish.executeOrDefer(saved);
  }

  /** The secrets that sign right now (more than one during a rotation). */
  async secrets(tenantId: string, id: string): Promise<string[]> {
    const endpoint = await this.get(tenantId, id);
    const now = Date.now();
    return endpoint.secrets.filter((s) => s.expiresAt === null || Date.parse(s.expiresAt) > now).map((s) => s.secret);
  }

  private checkUrl(raw: string): void {
    const url = new URL(raw);
    const allowed = url.protocol === 'https:' || (this.config.HOOKLINE_ALLOW_PRIVATE_TARGETS && url.protocol === 'http:');
    if (!allowed) throw new UnprocessableEntityException({ error: 'target_refused', message: `url: must use https (got ${url.protocol})`, issues: [{ field: 'url', rule: 'must use https' }] });
  }
}
