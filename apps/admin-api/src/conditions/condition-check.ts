import { formatIssues, type TenantId } from '@hookline/contracts';
import { parseCondition, undeclaredPaths, type Condition } from '@hookline/conditions';
import { ApiError, validationFailed } from '@hookline/service-kit';
import { catalogEntry } from '../event-types/catalog-entry';
import type { EventTypeStore } from '../event-types/event-type.ports';

/** Checks a condition (an endpoint's filter, a rule's conditions) before it is saved. */
export interface ConditionCheck {
  check(tenantId: TenantId, condition: Record<string, unknown> | null, eventTypes: readonly string[], field: string): Promise<Condition | null>;
}

/**
 * A condition as it may be saved: well-formed (400 naming each bad node,
 * `filter.all.2.value`), and its `data` paths declared by the schemas of the
 * event types it applies to (422 `undeclared_path`). A path passes when one of
 * the types declares it; when the types include a wildcard or a type the
 * tenant's catalog does not know, there is no schema to hold the paths to,
 * and they are not checked.
 */
export class CatalogConditionCheck implements ConditionCheck {
  constructor(private readonly types: Pick<EventTypeStore, 'find'>) {}

  async check(tenantId: TenantId, condition: Record<string, unknown> | null, eventTypes: readonly string[], field: string): Promise<Condition | null> {
    if (condition === null) return null;
    const parsed = parseCondition(condition, field);
    if (!parsed.ok) throw validationFailed(parsed.issues);
    if (eventTypes.some((t) => t.includes('*'))) return parsed.condition;
    const schemas = [];
    for (const name of eventTypes) {
      const entry = catalogEntry(name, await this.types.find(tenantId, name));
      if (!entry) return parsed.condition;
      schemas.push({ name, schema: entry.schema });
    }
    // A path fails only when no type declares it.
    const perType = schemas.map(({ name, schema }) => undeclaredPaths(parsed.condition, schema, name, field));
    const undeclared = perType[0]?.filter((issue) => perType.every((issues) => issues.some((i) => i.field === issue.field))) ?? [];
    if (undeclared.length > 0) {
      const issues = undeclared.map((i) => (schemas.length > 1 ? { ...i, rule: i.rule.replace(/ of [^ ]+$/, ` of any of ${eventTypes.join(', ')}`) } : i));
      throw new ApiError(422, 'undeclared_path', formatIssues(issues), issues);
    }
    return parsed.condition;
  }
}
