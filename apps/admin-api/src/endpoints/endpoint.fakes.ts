import type { EndpointId, TenantId } from '@hookline/contracts';
import type { PagePosition } from '../http/cursor';
import type { EndpointEntity } from './endpoint.entity';
import type { EndpointPublication, EndpointStore, Owner, SecretSealing, TargetCheck } from './endpoint.ports';

/*
 * Hand-written fakes of the endpoint use cases' ports, for their unit specs.
 * The real ports are tested against PostgreSQL in the medium tier.
 */

/** Endpoint rows in a map, with the store's rules: live rows only, a version bump per change. */
export class InMemoryEndpoints implements EndpointStore {
  readonly rows = new Map<EndpointId, EndpointEntity>();

  async insert(endpoint: EndpointEntity): Promise<EndpointEntity> {
    const now = new Date('2026-11-22T10:00:00Z');
    const saved = Object.assign(endpoint, { createdAt: now, updatedAt: now });
    this.rows.set(endpoint.id, structuredClone(saved));
    return saved;
  }

  async findLive(tenantId: TenantId, id: EndpointId): Promise<EndpointEntity | null> {
    const row = this.rows.get(id);
    return row && row.tenantId === tenantId && !row.deletedAt ? structuredClone(row) : null;
  }

  async list(tenantId: TenantId, limit: number, after?: PagePosition): Promise<EndpointEntity[]> {
    return [...this.rows.values()]
      .filter(
        (e) =>
          e.tenantId === tenantId &&
          !e.deletedAt &&
          (!after || e.createdAt.getTime() > after.createdAt.getTime() || (e.createdAt.getTime() === after.createdAt.getTime() && e.id > after.id)),
      )
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id))
      .slice(0, limit);
  }

  /** A throwing `apply` leaves the row as it was, like a rolled-back transaction. */
  async change(tenantId: TenantId, id: EndpointId, apply: (endpoint: EndpointEntity) => void | Promise<void>): Promise<EndpointEntity | null> {
    const row = await this.findLive(tenantId, id);
    if (!row) return null;
    await apply(row);
    row.version += 1;
    this.rows.set(id, structuredClone(row));
    return row;
  }
}

export class RecordingPublication implements EndpointPublication {
  readonly published: EndpointId[] = [];
  async executeOrDefer(id: EndpointId): Promise<void> {
    this.published.push(id);
  }
}

/** A sealing that can be read in assertions: the owner is part of the sealed text, as the real one binds it. */
export class ReadableSealing implements SecretSealing {
  sealSecret(owner: Owner, secret: string): string {
    return `sealed(${owner.tenantId}/${owner.id}):${secret}`;
  }
  openSecret(owner: Owner, sealed: string): string {
    const prefix = `sealed(${owner.tenantId}/${owner.id}):`;
    if (!sealed.startsWith(prefix)) throw new Error('does not open');
    return sealed.slice(prefix.length);
  }
  sealPrivateKey(owner: Owner, privateKey: string): string {
    return `sealed-key(${owner.tenantId}/${owner.id}):${privateKey.length}`;
  }
  sealChatUrl(owner: Owner, url: string): string {
    return `sealed-url(${owner.tenantId}/${owner.id}):${url}`;
  }
}

/** https only, and never example.internal. */
export const httpsOnly: TargetCheck = (url) =>
  url.startsWith('https://') && !url.includes('example.internal') ? { ok: true } : { ok: false, reason: 'must be a public https URL' };

export const fixedClock = (iso: string) => ({ now: () => new Date(iso) });
