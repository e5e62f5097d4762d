import {
  applyDecorators,
  createParamDecorator,
  ForbiddenException,
  Injectable,
  NotFoundException,
  SetMetadata,
  UnauthorizedException,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKeyResolver } from './api-key.resolver';
import { canActOnTenant, hasScope, type Caller, type Scope } from './scopes';

interface AuthRequest {
  headers: Record<string, string | string[] | undefined>;
  params?: Record<string, string>;
  query?: Record<string, unknown>;
  body?: unknown;
  caller?: Caller;
}

/** Names the tenant(s) a request acts on, wherever the route carries them. */
export type TenantsOf = (request: AuthRequest) => unknown[];

export const tenantInPath: TenantsOf = (req) => [req.params?.tenantId];
export const tenantInQuery: TenantsOf = (req) => [req.query?.tenantId];
export const tenantInBody: TenantsOf = (req) => [(req.body as { tenantId?: unknown } | null)?.tenantId];

export interface ScopeRule {
  /** `any`: every live key may call the route (it reads only what the key itself may know). */
  scope: Scope | 'any';
  tenants?: TenantsOf;
}

const SCOPE_RULE = Symbol('SCOPE_RULE');

/** The scope rule `@RequireScope` put on a handler or its controller, if any (the OpenAPI document reads it). */
export function scopeRuleOf(handler: object, controller: object): ScopeRule | undefined {
  return (Reflect.getMetadata(SCOPE_RULE, handler) ?? Reflect.getMetadata(SCOPE_RULE, controller)) as ScopeRule | undefined;
}

/**
 * Refuses the request unless its `Authorization: Bearer <api key>` is a live
 * key (401) that may act on the route's tenant (404: another tenant's
 * resources do not exist for it) and carries `scope` or `admin` (403).
 * `tenants` says where the tenant is; values that are not strings are left
 * for the route's own validation to reject.
 */
export function RequireScope(scope: Scope | 'any', options: { tenants?: TenantsOf } = {}) {
  return applyDecorators(SetMetadata(SCOPE_RULE, { scope, tenants: options.tenants } satisfies ScopeRule), UseGuards(ScopeGuard));
}

@Injectable()
export class ScopeGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyResolver,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthRequest>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer (.+)$/.exec(header) : null;
    const caller = match ? await this.keys.resolve(match[1]) : null;
    if (!caller) throw new UnauthorizedException({ error: 'unauthorized', message: 'missing, invalid or revoked API key in the Authorization header' });
    request.caller = caller;

    const rule = this.reflector.getAllAndOverride<ScopeRule | undefined>(SCOPE_RULE, [context.getHandler(), context.getClass()]);
    if (!rule) return true;
    const foreign = (rule.tenants?.(request) ?? []).some((tenantId) => typeof tenantId === 'string' && !canActOnTenant(caller, tenantId));
    if (foreign) throw new NotFoundException({ error: 'not_found', message: 'not found' });
    if (rule.scope !== 'any' && !hasScope(caller, rule.scope)) {
      throw new ForbiddenException({ error: 'forbidden', message: `this API key lacks the scope ${rule.scope}`, missingScope: rule.scope });
    }
    return true;
  }
}

/** The resolved API key of the request (set by `@RequireScope`'s guard). */
export const CurrentCaller = createParamDecorator((_data: unknown, context: ExecutionContext): Caller => {
  const caller = context.switchToHttp().getRequest<AuthRequest>().caller;
  if (!caller) throw new Error('CurrentCaller used on a route without @RequireScope');
  return caller;
});
