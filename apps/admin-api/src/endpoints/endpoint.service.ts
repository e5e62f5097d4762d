import { Inject, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { generateSecret } from '@hookline/signing';
import { randomUUID } from 'node:crypto';
import { ADMIN_CONFIG, type AdminConfig } from '../admin-api.config';
import { PublishEndpointChanges } from '../publish-endpoint-changes/publish-endpoint-changes.usecase';
import type { CreateEndpoint, UpdateEndpoint } from './endpoint.dto';
import { EndpointEntity } from './endpoint.entity';
import { EndpointRepository } from './endpoint.repository';

const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
const notFound = (id: string) => new NotFoundException({ error: 'not_found', message: `endpoint ${id} not found` });

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
    await this.publish.executeOrDefer(saved.id);
    return { endpoint: saved, secret };
  }

  async get(tenantId: string, id: string): Promise<EndpointEntity> {
    const endpoint = isUuid(id) ? await this.endpoints.findLive(tenantId, id) : null;
    if (!endpoint) throw notFound(id);
    return endpoint;
  }

  async update(tenantId: string, id: string, changes: UpdateEndpoint): Promise<EndpointEntity> {
    if (changes.url) this.checkUrl(changes.url);
    const saved = await this.change(tenantId, id, (endpoint) => Object.assign(endpoint, changes));
    await this.publish.executeOrDefer(id);
    return saved;
  }

  async delete(tenantId: string, id: string): Promise<void> {
    await this.change(tenantId, id, (endpoint) => Object.assign(endpoint, { deletedAt: new Date() }));
    await this.publish.executeOrDefer(id);
  }

  /** Applies a change to the latest row under its lock and bumps the version. */
  private async change(tenantId: string, id: string, apply: (endpoint: EndpointEntity) => void): Promise<EndpointEntity> {
    if (!isUuid(id)) throw notFound(id);
    return this.endpoints.withLocked(id, async (endpoint, save) => {
      if (!endpoint || endpoint.tenantId !== tenantId || endpoint.deletedAt) throw notFound(id);
      apply(endpoint);
      endpoint.version += 1;
      return save(endpoint);
    });
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
