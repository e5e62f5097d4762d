import type { EndpointId, TenantId } from '@hookline/contracts';
import type { PagePosition } from '../http/cursor';
import type { EndpointEntity } from './endpoint.entity';

/*
 * The ports of the endpoint use cases: each use case takes the few methods it
 * needs (`Pick<EndpointStore, …>`), so a unit spec fakes only those.
 */

/** Endpoint rows (PostgreSQL). A change runs under the row lock, so concurrent changes apply one after another. */
export interface EndpointStore {
  insert(endpoint: EndpointEntity): Promise<EndpointEntity>;
  /** The tenant's live (not deleted) endpoint, or null. */
  findLive(tenantId: TenantId, id: EndpointId): Promise<EndpointEntity | null>;
  /** A tenant's live endpoints, oldest first, after `after`. */
  list(tenantId: TenantId, limit: number, after?: PagePosition): Promise<EndpointEntity[]>;
  /** Applies `apply` to the tenant's live endpoint under its row lock, bumps its version and saves it; null when there is none. */
  change(tenantId: TenantId, id: EndpointId, apply: (endpoint: EndpointEntity) => void | Promise<void>): Promise<EndpointEntity | null>;
}

/** Puts an endpoint's latest version on the compacted topic, or leaves it to the relay when the broker fails. */
export interface EndpointPublication {
  executeOrDefer(id: EndpointId): Promise<void>;
}

/** Which endpoint a sealed value belongs to (it is bound to it). */
export type Owner = { tenantId: TenantId; id: EndpointId };

/** Seals and opens an endpoint's secrets and private keys under the master key. */
export interface SecretSealing {
  sealSecret(owner: Owner, secret: string): string;
  openSecret(owner: Owner, sealed: string): string;
  sealPrivateKey(owner: Owner, privateKey: string): string;
  sealChatUrl(owner: Owner, url: string): string;
}

/** The SSRF rule for endpoint URLs: a reason when Hookline must never call `url`. */
export type TargetCheck = (url: string) => { ok: true } | { ok: false; reason: string };

export interface Clock {
  now(): Date;
}
