import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type ResponseOf } from '../../api/client';
import { useSession } from '../../session/session';
import { Badge } from '../../ui/display';
import { everyPage } from '../../ui/paging';

export type DeliveryList = ResponseOf<'/v1/deliveries', 'get'>;
export type Delivery = DeliveryList['data'][number];
export type Attempt = Delivery['attempts'][number];
/** One delivery as its own route answers it: a list item and the attempt scheduled next. */
export type DeliveryDetail = ResponseOf<'/v1/deliveries/{id}', 'get'>;
export type DeliveryStatus = Delivery['status'];
export type RecoveryJob = ResponseOf<'/v1/recovery-jobs/{id}', 'get'>;
export type Endpoint = ResponseOf<'/v1/tenants/{tenantId}/endpoints', 'get'>['data'][number];

export const STATUSES: DeliveryStatus[] = ['pending', 'failing', 'succeeded', 'dead'];

const STATUS_TONE = { succeeded: 'good', failing: 'warn', pending: 'warn', dead: 'bad' } as const;

export function StatusBadge({ status }: { status: DeliveryStatus }) {
  return <Badge tone={STATUS_TONE[status]}>{status}</Badge>;
}

const JOB_TONE = { queued: 'info', running: 'info', done: 'good', cancelled: 'neutral', failed: 'bad' } as const;

export function JobStateBadge({ state }: { state: RecoveryJob['state'] }) {
  return <Badge tone={JOB_TONE[state]}>{state}</Badge>;
}

export function jobActive(job: RecoveryJob | undefined): boolean {
  return job?.state === 'queued' || job?.state === 'running';
}

/** A delivery whose own chain is not over: the log will change on its own, and a replay is refused. */
export function inProgress(status: DeliveryStatus | undefined): boolean {
  return status === 'pending' || status === 'failing';
}

/** The attempt with the highest number (the API does not promise an order). */
export function lastAttempt(delivery: Delivery): Attempt | undefined {
  return delivery.attempts.reduce<Attempt | undefined>((last, a) => (!last || a.attempt > last.attempt ? a : last), undefined);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An ISO instant as a datetime-local input shows it (local time, to the minute). */
export function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local value (local time) as the ISO instant the API takes; undefined when empty or unreadable. */
export function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** Every endpoint of the tenant (a few pages at most), for choosing one by URL; only for keys that may read endpoints. */
export function useEndpointList() {
  const { tenantId, can } = useSession();
  return useQuery({
    queryKey: ['endpoints', tenantId, 'all-for-delivery-log'],
    enabled: can('endpoints:read'),
    // A tenant has few endpoints; everyPage's cap only keeps a runaway cursor from looping.
    queryFn: () =>
      everyPage((cursor) => unwrap(api.GET('/v1/tenants/{tenantId}/endpoints', { params: { path: { tenantId }, query: { limit: 100, cursor } } }))),
  });
}

/** An endpoint's URL when it is known, else its id. */
export function endpointLabel(endpoints: Endpoint[] | undefined, id: string): string {
  return endpoints?.find((e) => e.id === id)?.url ?? id;
}
