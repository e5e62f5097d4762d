import type { ChatTool, EndpointId, RuleAction, TenantId } from '@hookline/contracts';
import type { PagePosition } from '../http/cursor';

/*
 * The ports of the rule use cases: each takes the few methods it needs
 * (`Pick<RuleStore, …>`), so a unit spec fakes only those.
 */

/** A rule as stored. */
export interface RuleRow {
  id: string;
  tenantId: TenantId;
  name: string;
  enabled: boolean;
  trigger: { eventTypes: string[] };
  conditions: Record<string, unknown> | null;
  actions: RuleAction[];
  /** Bumped on every change; the compacted topic has it once `publishedVersion` catches up. */
  version: number;
  publishedVersion: number;
  deletedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The fields a rule is saved with. */
export type RuleFields = Pick<RuleRow, 'name' | 'enabled' | 'trigger' | 'conditions' | 'actions'>;

/** Rule rows (PostgreSQL). A change runs under the row lock, so concurrent changes apply one after another. */
export interface RuleStore {
  insert(tenantId: TenantId, id: string, fields: RuleFields): Promise<RuleRow>;
  /** The tenant's live (not deleted) rule, or null. */
  findLive(tenantId: TenantId, id: string): Promise<RuleRow | null>;
  /** A tenant's live rules, oldest first, after `after`. */
  list(tenantId: TenantId, limit: number, after?: PagePosition): Promise<RuleRow[]>;
  countLive(tenantId: TenantId): Promise<number>;
  /** Applies `apply` to the tenant's live rule under its row lock, bumps its version and saves it; null when there is none. */
  change(tenantId: TenantId, id: string, apply: (rule: RuleRow) => void): Promise<RuleRow | null>;
}

/** The tenant's live action contracts among `ids` (a rule's invoke actions may only name those), each with its allowed roles. */
export interface TenantContracts {
  liveContracts(tenantId: TenantId, ids: readonly string[]): Promise<Map<string, { allowedRoles: string[] }>>;
}

/** The tenant's live endpoints among `ids` (a rule's actions may only name those), each with its chat tool (null: a webhook endpoint). */
export interface TenantEndpoints {
  live(tenantId: TenantId, ids: readonly EndpointId[]): Promise<Map<string, ChatTool | null>>;
}

/** Puts a rule's latest version on the compacted topic, or leaves it to the relay when the broker fails. */
export interface RulePublication {
  executeOrDefer(id: string): Promise<void>;
}
