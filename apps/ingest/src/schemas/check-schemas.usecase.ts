import type { EventInput, EventTypeConfig } from '@hookline/contracts';
import type { SchemaViolation } from '@hookline/catalog';
import type { JsonSchema, SchemaValidators } from '@hookline/catalog';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';

/** The tenants' catalog settings, as of the latest change saved. */
export interface TenantCatalog {
  /** Resolves once every catalog change saved before the call is visible. */
  syncToLatest(): Promise<void>;
  settingsOf(tenantId: string, type: string): EventTypeConfig | undefined;
}

/** What ingest does with one event: accept it as it is, accept it flagged with its violations (`warn`), or refuse it (`enforce`). */
export type SchemaVerdict = { kind: 'pass' } | { kind: 'flag'; violations: SchemaViolation[] } | { kind: 'refuse'; violations: SchemaViolation[] };

const PASS: SchemaVerdict = { kind: 'pass' };

const checked = new Counter({
  name: 'hookline_events_schema_checks_total',
  help: 'Events checked against their type’s schema, by result: pass, flag (mode warn), refuse (mode enforce)',
  labelNames: ['result'],
});

/**
 * Checks each event's `data` against its type's schema under the tenant's
 * schema mode: a type the tenant never set, or set `off`, is not checked. A
 * custom type is checked against its newest version, a built-in type against
 * Hookline's schema. Catalog changes saved before the call apply to it (one
 * catch-up with the catalog topic per call). A schema that cannot compile is
 * logged and not applied: an event is never refused for a schema's fault.
 */
export class CheckSchemas {
  private readonly reported = new Set<string>();

  constructor(
    private readonly catalog: TenantCatalog,
    private readonly validators: SchemaValidators,
    private readonly builtinSchema: (type: string) => JsonSchema | undefined,
    private readonly logger: Logger,
  ) {}

  async execute(inputs: readonly Pick<EventInput, 'tenantId' | 'type' | 'data'>[]): Promise<SchemaVerdict[]> {
    await this.catalog.syncToLatest();
    return inputs.map((input) => this.verdictFor(input));
  }

  private verdictFor(input: Pick<EventInput, 'tenantId' | 'type' | 'data'>): SchemaVerdict {
    const settings = this.catalog.settingsOf(input.tenantId, input.type);
    if (!settings || settings.schemaMode === 'off') return PASS;
    const schema = settings.schema ?? this.builtinSchema(input.type);
    if (!schema) return PASS;
    const key = settings.schema ? `${input.tenantId}\u0000${input.type}@${settings.version}` : `builtin:${input.type}`;
    const check = this.validators.check(key, schema, input.data);
    if (!check.ok) {
      if (!this.reported.has(key)) {
        this.reported.add(key);
        this.logger.error(
          { tenantId: input.tenantId, eventType: input.type, version: settings.version, reason: check.unusable },
          'event type schema does not compile; not applied',
        );
      }
      return PASS;
    }
    const verdict: SchemaVerdict =
      check.violations.length === 0 ? PASS : { kind: settings.schemaMode === 'enforce' ? 'refuse' : 'flag', violations: check.violations };
    checked.inc({ result: verdict.kind });
    return verdict;
  }
}
