import type { TenantId } from '@hookline/contracts';
import { builtinEventType } from '@hookline/catalog';
import { conflict, unprocessable } from '@hookline/service-kit';
import { catalogEntry, type CatalogEntry } from '../catalog-entry';
import { checkDefinition } from '../event-type-definition';
import type { CreateEventTypeInput } from '../event-type.dto';
import type { EventTypePublication, EventTypeStore } from '../event-type.ports';

/** Custom types a tenant may have: the catalog is read whole by ingest and listed whole by the API. */
export const MAX_CUSTOM_EVENT_TYPES = 1_000;

/** Creates a custom event type at version 1 and publishes it to ingest. */
export class CreateEventType {
  constructor(
    private readonly types: Pick<EventTypeStore, 'insertCustom' | 'countCustom'>,
    private readonly publication: EventTypePublication,
  ) {}

  async execute(tenantId: TenantId, input: CreateEventTypeInput): Promise<CatalogEntry> {
    if (builtinEventType(input.name)) {
      throw conflict('event_type_exists', `${input.name} is a built-in event type: set its schemaMode or deprecate it with PATCH`);
    }
    checkDefinition(input.schema, input.example);
    if ((await this.types.countCustom(tenantId)) >= MAX_CUSTOM_EVENT_TYPES) {
      throw unprocessable('too_many_event_types', 'name', `a tenant may have at most ${MAX_CUSTOM_EVENT_TYPES} custom event types`);
    }
    const row = await this.types.insertCustom({ tenantId, ...input, deprecated: false });
    if (!row) throw conflict('event_type_exists', `${input.name} already exists: PUT a new version of it`);
    await this.publication.executeOrDefer(tenantId, input.name);
    return catalogEntry(input.name, row)!;
  }
}
