import type { TenantId } from '@hookline/contracts';
import { canActOnTenant, hasScope, isScope, SCOPES } from './scopes';

describe('hasScope', () => {
  it('grants a scope the key carries and refuses one it does not', () => {
    expect(hasScope({ scopes: ['endpoints:read'] }, 'endpoints:read')).toBe(true);
    expect(hasScope({ scopes: ['endpoints:read'] }, 'endpoints:write')).toBe(false);
  });

  it('lets admin imply every scope', () => {
    for (const scope of SCOPES) expect(hasScope({ scopes: ['admin'] }, scope)).toBe(true);
  });

  it('does not let any other scope imply admin', () => {
    expect(hasScope({ scopes: SCOPES.filter((s) => s !== 'admin') }, 'admin')).toBe(false);
  });
});

describe('canActOnTenant', () => {
  it('lets a global key act on any tenant', () => {
    expect(canActOnTenant({ tenantId: null }, 'acme')).toBe(true);
  });

  it('keeps a tenant key to its own tenant', () => {
    expect(canActOnTenant({ tenantId: 'acme' as TenantId }, 'acme')).toBe(true);
    expect(canActOnTenant({ tenantId: 'acme' as TenantId }, 'globex')).toBe(false);
  });
});

describe('isScope', () => {
  it('knows only the scopes the README lists', () => {
    expect(isScope('deliveries:replay')).toBe(true);
    expect(isScope('root')).toBe(false);
  });
});
