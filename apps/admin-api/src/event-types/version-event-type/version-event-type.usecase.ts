import type { TenantId } from '@hookline/contracts';
import { builtinEventType } from '@hookline/catalog';
import { conflict, notFound } from '@hookline/service-kit';
import { isDeepStrictEqual } from 'node:util';
import { catalogEntry, type CatalogEntry } from '../catalog-entry';
import { checkDefinition } from '../event-type-definition';
import type { ReplaceEventTypeInput } from '../event-type.dto';
import type { EventTypePublication, EventTypeStore } from '../event-type.ports';

/**
 * Replaces a custom type's schema, example and description. A schema that
 * differs from the current one is a new version (the old ones stay listed);
 * the same schema keeps the version and updates its description and example.
 * ingest checks events against the newest version from the moment the change
 * is published.
 */
export class VersionEventType {
  constructor(
    private readonly types: Pick<EventTypeStore, 'change'>,
    private readonly publication: EventTypePublication,
  ) {}

  async execute(tenantId: TenantId, name: string, input: ReplaceEventTypeInput): Promise<CatalogEntry> {
    if (builtinEventType(name)) throw conflict('builtin_event_type', `${name} is a built-in event type: its schema is Hookline’s; PATCH its schemaMode`);
    checkDefinition(input.schema, input.example);
    const row = await this.types.change(
      tenantId,
      name,
      (current) => {
        if (!current || current.builtin) return null;
        const version = isDeepStrictEqual(current.schema, input.schema) ? current.version : current.version + 1;
        return { ...current, ...input, version };
      },
      false,
    );
    if (!row) throw notFound('event type');
    await this.publication.executeOrDefer(tenantId, name);
    return catalogEntry(name, row)!;
  }
}
