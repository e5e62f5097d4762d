import type { TenantId } from '@hookline/contracts';
import { BUILTIN_EVENT_TYPES } from '@hookline/catalog';
import { catalogEntry, type CatalogEntry } from '../catalog-entry';
import type { EventTypeStore } from '../event-type.ports';

export interface CatalogFilter {
  group?: string;
  source?: 'builtin' | 'custom';
  deprecated?: boolean;
}

/** A tenant's whole catalog, by name: every built-in type (under the tenant's settings) and its custom types. */
export class ListEventTypes {
  constructor(private readonly types: Pick<EventTypeStore, 'list'>) {}

  async execute(tenantId: TenantId, filter: CatalogFilter = {}): Promise<CatalogEntry[]> {
    const rows = new Map((await this.types.list(tenantId)).map((row) => [row.name, row]));
    const names = new Set([...BUILTIN_EVENT_TYPES.map((t) => t.name), ...rows.keys()]);
    return [...names]
      .sort()
      .map((name) => catalogEntry(name, rows.get(name) ?? null))
      .filter((e): e is CatalogEntry => e !== null)
      .filter((e) => (filter.group === undefined || e.group === filter.group) && (filter.source === undefined || e.source === filter.source))
      .filter((e) => filter.deprecated === undefined || e.deprecated === filter.deprecated);
  }
}
