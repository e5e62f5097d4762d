import { formatIssues, type TenantId } from '@hookline/contracts';
import { parseCondition, undeclaredPaths } from '@hookline/conditions';
import { ApiError, validationFailed } from '@hookline/service-kit';
import { catalogEntry } from '../event-types/catalog-entry';
import type { EventTypeStore } from '../event-types/event-type.ports';

/** Checks an endpoint's filter before it is saved. */
export interface FilterCheck {
  check(tenantId: TenantId, filter: Record<string, unknown> | null, eventTypes: readonly string[]): Promise<void>;
}

/**
 * An endpoint's filter as it may be saved: a well-formed condition (400
 * naming each bad node, `filter.all.2.value`), whose `data` paths the schemas
 * of the endpoint's event types declare (422 `undeclared_path`). A path passes
 * when one of the subscribed types declares it; when the endpoint subscribes
 * to a wildcard or a type the tenant's catalog does not know, there is no
 * schema to hold the paths to, and they are not checked.
 */
export class EndpointFilterCheck implements FilterCheck {
  constructor(private readonly types: Pick<EventTypeStore, 'find'>) {}

  async check(tenantId: TenantId, filter: Record<string, unknown> | null, eventTypes: readonly string[]): Promise<void> {
    if (filter === null) return;
    const parsed = parseCondition(filter, 'filter');
    if (!parsed.ok) throw validationFailed(parsed.issues);
    if (eventTypes.some((t) => t.includes('*'))) return;
    const schemas = [];
    for (const name of eventTypes) {
      const entry = catalogEntry(name, await this.types.find(tenantId, name));
      if (!entry) return;
      schemas.push({ name, schema: entry.schema });
    }
    // A path fails only when no subscribed type declares it; it is named with the first type's rule.
    const perType = schemas.map(({ name, schema }) => undeclaredPaths(parsed.condition, schema, name, 'filter'));
    const undeclared = perType[0]?.filter((issue) => perType.every((issues) => issues.some((i) => i.field === issue.field))) ?? [];
    if (undeclared.length > 0) {
      const issues = undeclared.map((i) => (schemas.length > 1 ? { ...i, rule: i.rule.replace(/ of [^ ]+$/, ` of any of ${eventTypes.join(', ')}`) } : i));
      throw new ApiError(422, 'undeclared_path', formatIssues(issues), issues);
    }
  }
}
