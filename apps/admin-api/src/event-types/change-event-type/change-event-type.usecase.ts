import type { TenantId } from '@hookline/contracts';
import { builtinEventType } from '@hookline/catalog';
import { notFound, validationFailed } from '@hookline/service-kit';
import { catalogEntry, type CatalogEntry } from '../catalog-entry';
import type { PatchEventTypeInput } from '../event-type.dto';
import type { EventTypePublication, EventTypeStore } from '../event-type.ports';

/**
 * Changes a type's settings: its schema mode (what ingest does with an event
 * that fails the schema) and whether it is deprecated, on a built-in type as
 * on a custom one; the description of a custom one.
 */
export class ChangeEventType {
  constructor(
    private readonly types: Pick<EventTypeStore, 'change'>,
    private readonly publication: EventTypePublication,
  ) {}

  async execute(tenantId: TenantId, name: string, patch: PatchEventTypeInput): Promise<CatalogEntry> {
    const builtin = builtinEventType(name);
    if (builtin && patch.description !== undefined) {
      throw validationFailed([{ field: 'description', rule: 'cannot be changed on a built-in event type' }]);
    }
    const row = await this.types.change(
      tenantId,
      name,
      (current) => {
        if (builtin) {
          const base = current ?? { description: '', schema: null, example: null, version: 1, schemaMode: 'off' as const, deprecated: false };
          return { ...base, schemaMode: patch.schemaMode ?? base.schemaMode, deprecated: patch.deprecated ?? base.deprecated };
        }
        if (!current || current.builtin) return null;
        return {
          ...current,
          schemaMode: patch.schemaMode ?? current.schemaMode,
          deprecated: patch.deprecated ?? current.deprecated,
          description: patch.description ?? current.description,
        };
      },
      Boolean(builtin),
    );
    if (!row) throw notFound('event type');
    await this.publication.executeOrDefer(tenantId, name);
    return catalogEntry(name, row)!;
  }
}
