import type { TenantId } from '@hookline/contracts';

/** Every scope an API key may carry (README, "APIs"). `admin` implies all the others. */
export const SCOPES = [
  'events:write',
  'endpoints:read',
  'endpoints:write',
  'deliveries:read',
  'deliveries:replay',
  'catalog:read',
  'catalog:write',
  'rules:read',
  'rules:write',
  'actions:read',
  'actions:write',
  'actions:invoke',
  'inbound:read',
  'inbound:write',
  'admin',
] as const;
export type Scope = (typeof SCOPES)[number];

/** Who is calling: a resolved, unrevoked API key. `tenantId: null` = a global key. */
export interface Caller {
  keyId: string;
  tenantId: TenantId | null;
  scopes: readonly Scope[];
  /** Names the tenant gives its people and agents ("support", "billing-admin"); an action contract may require one. */
  roles: readonly string[];
}

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

export function hasScope(caller: Pick<Caller, 'scopes'>, scope: Scope): boolean {
  return caller.scopes.includes('admin') || caller.scopes.includes(scope);
}

/** A global key may act on any tenant; a tenant key only on its own. */
export function canActOnTenant(caller: Pick<Caller, 'tenantId'>, tenantId: string): boolean {
  return caller.tenantId === null || caller.tenantId === tenantId;
}
