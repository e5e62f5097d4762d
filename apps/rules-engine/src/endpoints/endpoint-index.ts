import { matchesEventType, type EndpointConfig, type EndpointId, type EventEnvelope, type TenantId } from '@hookline/contracts';
import { CompiledCondition, parseCondition } from '@hookline/conditions';
import type { Logger } from 'pino';

interface Entry {
  config: EndpointConfig;
  /** The endpoint's filter compiled once per version; null: every subscribed event. */
  filter: CompiledCondition | null;
}

/**
 * Every endpoint by tenant, with its filter compiled: which endpoints an
 * event goes to. A filter the topic carries but that is not a valid condition
 * (admin-api refuses those, so only a version mismatch could bring one) is
 * logged and not applied: an event is never dropped for a filter's fault.
 */
export class EndpointIndex {
  private readonly byTenant = new Map<TenantId, Map<EndpointId, Entry>>();
  private readonly tenantOf = new Map<EndpointId, TenantId>();

  constructor(private readonly logger: Pick<Logger, 'error'>) {}

  apply(id: EndpointId, endpoint: EndpointConfig | null): void {
    const previousTenant = this.tenantOf.get(id);
    if (previousTenant) this.byTenant.get(previousTenant)?.delete(id);
    this.tenantOf.delete(id);
    if (!endpoint) return;
    this.tenantOf.set(id, endpoint.tenantId);
    const endpoints = this.byTenant.get(endpoint.tenantId) ?? new Map<EndpointId, Entry>();
    endpoints.set(id, { config: endpoint, filter: this.compile(endpoint) });
    this.byTenant.set(endpoint.tenantId, endpoints);
  }

  /** One endpoint of the tenant, if it exists (a rule action names its endpoints). */
  endpoint(tenantId: TenantId, id: EndpointId): EndpointConfig | undefined {
    return this.byTenant.get(tenantId)?.get(id)?.config;
  }

  /** The tenant's enabled endpoints subscribed to the event's type whose filter, if any, the event matches. */
  subscribersOf(event: EventEnvelope): EndpointConfig[] {
    const endpoints = this.byTenant.get(event.tenantId);
    if (!endpoints) return [];
    const found: EndpointConfig[] = [];
    for (const { config, filter } of endpoints.values()) {
      if (config.enabled && matchesEventType(config.eventTypes, event.type) && (filter === null || filter.matches(event))) found.push(config);
    }
    return found;
  }

  private compile(endpoint: EndpointConfig): CompiledCondition | null {
    if (endpoint.filter === null) return null;
    const parsed = parseCondition(endpoint.filter, 'filter');
    if (parsed.ok) return new CompiledCondition(parsed.condition);
    this.logger.error({ endpointId: endpoint.id, version: endpoint.version, issues: parsed.issues }, 'endpoint filter is not a valid condition; not applied');
    return null;
  }
}
