import type { TenantId } from '@hookline/contracts';
import { ForbiddenException, NotFoundException, UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { generateApiKey, hashApiKey } from './api-key';
import type { ApiKeyResolver } from './api-key.resolver';
import { RequireScope, ScopeGuard, tenantInBody, tenantInPath, tenantInQuery } from './require-scope';
import type { Caller, Scope } from './scopes';

const KEYS: Record<string, Caller> = {
  global: { keyId: 'g', tenantId: null, scopes: ['endpoints:read'], roles: [] },
  acmeReader: { keyId: 'a', tenantId: 'acme' as TenantId, scopes: ['endpoints:read'], roles: [] },
  acmeAdmin: { keyId: 'b', tenantId: 'acme' as TenantId, scopes: ['admin'], roles: [] },
};
const resolver = { resolve: async (token: string) => KEYS[token] ?? null } as unknown as ApiKeyResolver;

class Routes {
  @RequireScope('endpoints:read', { tenants: tenantInPath }) readPath() {}
  @RequireScope('endpoints:write', { tenants: tenantInPath }) writePath() {}
  @RequireScope('endpoints:read', { tenants: tenantInQuery }) readQuery() {}
  @RequireScope('endpoints:read', { tenants: tenantInBody }) readBody() {}
}

function run(route: keyof Routes, token: string | undefined, req: { params?: object; query?: object; body?: unknown } = {}) {
  const request = { headers: token ? { authorization: `Bearer ${token}` } : {}, ...req } as { caller?: Caller };
  const context = {
    switchToHttp: () => ({ getRequest: () => request }),
    getHandler: () => Routes.prototype[route],
    getClass: () => Routes,
  } as unknown as ExecutionContext;
  return { result: new ScopeGuard(new Reflector(), resolver).canActivate(context), request };
}

describe(ScopeGuard.name, () => {
  it('refuses a missing or unknown key with 401', async () => {
    await expect(run('readPath', undefined).result).rejects.toBeInstanceOf(UnauthorizedException);
    await expect(run('readPath', 'nope').result).rejects.toBeInstanceOf(UnauthorizedException);
  });

  it('lets a key with the scope act on its own tenant and records the caller', async () => {
    const { result, request } = run('readPath', 'acmeReader', { params: { tenantId: 'acme' } });
    await expect(result).resolves.toBe(true);
    expect(request.caller).toBe(KEYS.acmeReader);
  });

  it('lets a global key act on any tenant', async () => {
    await expect(run('readPath', 'global', { params: { tenantId: 'globex' } }).result).resolves.toBe(true);
  });

  it.each(['readPath', 'readQuery', 'readBody'] as const)('answers 404 to a tenant key on another tenant (%s)', async (route) => {
    const where = { params: { tenantId: 'globex' }, query: { tenantId: 'globex' }, body: { tenantId: 'globex' } };
    await expect(run(route, 'acmeReader', where).result).rejects.toBeInstanceOf(NotFoundException);
  });

  it('answers 404, not 403, to a tenant key lacking the scope on another tenant', async () => {
    await expect(run('writePath', 'acmeReader', { params: { tenantId: 'globex' } }).result).rejects.toBeInstanceOf(NotFoundException);
  });

  it('answers 403 naming the missing scope', async () => {
    const error = await run('writePath', 'acmeReader', { params: { tenantId: 'acme' } }).result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ForbiddenException);
    expect((error as ForbiddenException).getResponse()).toMatchObject({ error: 'forbidden', missingScope: 'endpoints:write' as Scope });
  });

  it('lets admin pass a route that asks for another scope', async () => {
    await expect(run('writePath', 'acmeAdmin', { params: { tenantId: 'acme' } }).result).resolves.toBe(true);
  });

  it('leaves a tenant that is not a string to the route validation', async () => {
    await expect(run('readBody', 'acmeReader', { body: { tenantId: 42 } }).result).resolves.toBe(true);
  });
});

describe('generateApiKey', () => {
  it('names the tenant or global and carries 256 random bits', () => {
    expect(generateApiKey('acme')).toMatch(/^hl_acme_[A-Za-z0-9_-]{43}$/);
    expect(generateApiKey(null)).toMatch(/^hl_global_[A-Za-z0-9_-]{43}$/);
    expect(generateApiKey(null)).not.toBe(generateApiKey(null));
  });

  it('is stored as a SHA-256 hex digest', () => {
    expect(hashApiKey('k')).toMatch(/^[0-9a-f]{64}$/);
  });
});
