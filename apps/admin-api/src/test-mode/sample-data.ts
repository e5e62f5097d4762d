import type { TenantId } from '@hookline/contracts';
import { validationFailed } from '@hookline/service-kit';
import { catalogEntry } from '../event-types/catalog-entry';
import type { EventTypeStore } from '../event-types/event-type.ports';

/**
 * The `data` a preview or test send delivers: the one given, or else the
 * example of the type in the tenant's catalog (a built-in type's, or the
 * custom type's current one). A type with no example needs `data`.
 */
export class SampleData {
  constructor(private readonly types: Pick<EventTypeStore, 'find'>) {}

  async of(tenantId: TenantId, type: string, data: Record<string, unknown> | undefined): Promise<Record<string, unknown>> {
    if (data) return data;
    const example = catalogEntry(type, await this.types.find(tenantId, type))?.example;
    if (!example) throw validationFailed([{ field: 'data', rule: `is required: ${type} has no example in the tenant's event catalog` }]);
    return example;
  }
}
