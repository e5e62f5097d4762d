import { Injectable, RequestMethod } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { scopeRuleOf, type ScopeRule } from '../auth/require-scope';
import { API_EXCLUDED, API_ROUTE, type RouteDoc } from './api-route';

/** A route of the running service, as Nest registered it, with what the OpenAPI document needs of it. */
export interface DiscoveredRoute {
  method: string;
  /** In OpenAPI's form: `/v1/tenants/{tenantId}/endpoints/{id}`. */
  path: string;
  controller: string;
  handler: string;
  doc?: RouteDoc;
  excluded: boolean;
  scope?: ScopeRule;
  /** What Nest answers on success unless the handler says otherwise (`@HttpCode`): 201 for POST, else 200. */
  successStatus: number;
}

/** `v1/tenants/:tenantId` + `:id/secret` → `/v1/tenants/{tenantId}/{id}/secret`. */
export function openApiPath(...parts: string[]): string {
  const joined = parts
    .flatMap((p) => p.split('/'))
    .filter((segment) => segment.length > 0)
    .map((segment) => (segment.startsWith(':') ? `{${segment.slice(1)}}` : segment))
    .join('/');
  return `/${joined}`;
}

const asList = (value: unknown): string[] => (Array.isArray(value) ? (value as string[]) : [typeof value === 'string' ? value : '']);

/** Every route of every controller of the service, read from the metadata Nest routes by. */
@Injectable()
export class RouteCatalog {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  routes(): DiscoveredRoute[] {
    const routes: DiscoveredRoute[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
      if (!controller) continue;
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name];
        if (typeof handler !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        const methodPath = Reflect.getMetadata(PATH_METADATA, handler) as unknown;
        if (method === undefined || methodPath === undefined) continue;
        const verb = RequestMethod[method].toLowerCase();
        for (const base of asList(Reflect.getMetadata(PATH_METADATA, controller)))
          for (const own of asList(methodPath))
            routes.push({
              method: verb,
              path: openApiPath(base, own),
              controller: controller.name,
              handler: name,
              doc: Reflect.getMetadata(API_ROUTE, handler) as RouteDoc | undefined,
              excluded: Reflect.getMetadata(API_EXCLUDED, handler) === true,
              scope: scopeRuleOf(handler, controller),
              successStatus: (Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined) ?? (verb === 'post' ? 201 : 200),
            });
      }
    }
    return routes;
  }
}
