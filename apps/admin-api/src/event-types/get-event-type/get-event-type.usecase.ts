import type { TenantId } from '@hookline/contracts';
import { builtinEventType } from '@hookline/catalog';
import { notFound } from '@hookline/service-kit';
import { catalogEntry, type CatalogEntry } from '../catalog-entry';
import type { EventTypeStore, EventTypeVersion } from '../event-type.ports';

/** One type of a tenant's catalog, and the schema versions it has had. */
export class GetEventType {
  constructor(private readonly types: Pick<EventTypeStore, 'find' | 'versions'>) {}

  async execute(tenantId: TenantId, name: string): Promise<CatalogEntry> {
    const entry = catalogEntry(name, await this.types.find(tenantId, name));
    if (!entry) throw notFound('event type');
    return entry;
  }

  /** Newest first; a built-in type has the one version Hookline ships. */
  async versions(tenantId: TenantId, name: string): Promise<EventTypeVersion[]> {
    const builtin = builtinEventType(name);
    if (builtin) return [{ version: 1, description: builtin.description, schema: builtin.schema, example: builtin.example, createdAt: null }];
    const versions = await this.types.versions(tenantId, name);
    if (versions.length === 0) throw notFound('event type');
    return versions;
  }
}
