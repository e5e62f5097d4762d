import type { DeliveryId, EndpointId, TenantId } from '@hookline/contracts';
import type { PagePosition } from '../http/cursor';
import type { ReplayableDelivery, ReplayLog } from '../replay/replay.ports';

/** Statuses a recovery may resend. `pending` is left out: such a delivery has not had its first attempt yet. */
export const RECOVERY_STATUSES = ['dead', 'failing', 'succeeded'] as const;
export type RecoveryStatus = (typeof RECOVERY_STATUSES)[number];

export const RECOVERY_STATES = ['queued', 'running', 'done', 'cancelled', 'failed'] as const;
export type RecoveryState = (typeof RECOVERY_STATES)[number];

/**
 * Which deliveries a recovery resends: an endpoint's live deliveries created
 * in [since, until) with one of the statuses, unchanged in the log since
 * `asOf` (the job's creation). A delivery that moved meanwhile (replayed by
 * hand, a chain still running when the job began, a failing one retried) is
 * on a chain of its own and left to it: the job resends a snapshot, at most
 * the deliveries its dry run counted.
 */
export interface RecoverySelection {
  tenantId: TenantId;
  endpointId: EndpointId;
  since: Date;
  until: Date;
  statuses: RecoveryStatus[];
  asOf: Date;
}

/** The page a runner is sending: stored before it goes to Kafka, so a redo sends the same requests. */
export interface PendingPage {
  items: { deliveryId: DeliveryId; attempt: number }[];
  /** The page's last delivery in (created_at, id) order: the cursor once the page is sent. */
  last: { createdAt: string; id: DeliveryId };
}

export interface RecoveryJob extends RecoverySelection {
  id: string;
  state: RecoveryState;
  total: number;
  done: number;
  failed: number;
  error: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  /** The last delivery sent, in (created_at, id) order; null before the first page. */
  cursor: { createdAt: Date; id: DeliveryId } | null;
  pendingPage: PendingPage | null;
}

/** Recovery jobs as the API reads and writes them (PostgreSQL). */
export interface RecoveryJobs {
  create(job: RecoverySelection & { id: string; total: number; createdBy: string }): Promise<RecoveryJob>;
  /** Given a tenant, another tenant's job is not found. */
  find(id: string, tenantId?: TenantId): Promise<RecoveryJob | null>;
  /** Newest first, keyset-paginated on (created_at, id). */
  list(tenantId: TenantId, limit: number, before?: PagePosition): Promise<RecoveryJob[]>;
  /** Cancels a queued or running job; returns the job as it is after the attempt (null if not found). */
  cancel(id: string, tenantId?: TenantId): Promise<RecoveryJob | null>;
}

/** Recovery jobs as a runner works on them: every write holds only while the lease is the runner's and the job runs. */
export interface RecoveryLeases {
  /** Takes the runner's own running job, else the oldest queued or running one whose lease expired, and (re)leases it. */
  claim(owner: string, leaseMs: number): Promise<RecoveryJob | null>;
  /** Stores the page about to be sent and renews the lease; false if the job was cancelled or taken over. */
  holdPage(id: string, owner: string, leaseMs: number, page: PendingPage): Promise<boolean>;
  /** Moves the cursor past the page sent, adds to the counters, clears the page, renews the lease; false if cancelled or taken over. */
  advance(id: string, owner: string, leaseMs: number, step: { done: number; failed: number; last: PendingPage['last'] }): Promise<boolean>;
  finish(id: string, owner: string, state: 'done' | 'failed', error?: string): Promise<boolean>;
}

/** The delivery log as a recovery reads it. */
export interface RecoveryLog extends ReplayLog {
  count(selection: RecoverySelection): Promise<number>;
  /** The next deliveries of the selection after `after`, in (created_at, id) order. */
  page(selection: RecoverySelection, after: { createdAt: Date; id: DeliveryId } | null, limit: number): Promise<ReplayableDelivery[]>;
  /** Deliveries by id, whatever their status now (a page redone after a crash). */
  deliveries(tenantId: TenantId, ids: DeliveryId[]): Promise<ReplayableDelivery[]>;
}
