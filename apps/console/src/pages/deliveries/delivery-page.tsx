import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { api, ApiError, unwrap, type ResponseOf } from '../../api/client';
import { useSession } from '../../session/session';
import { Badge, formatTime, JsonBlock, PageHeader } from '../../ui/display';
import { ErrorNotice, Loading, Notice } from '../../ui/feedback';
import { AttemptItem, type SentBody } from './attempt';
import { endpointLabel, inProgress, StatusBadge, useEndpointList, type Delivery, type DeliveryDetail, type Endpoint } from './model';

type EventView = ResponseOf<'/v1/events/{id}', 'get'>;

const STATUS_MEANING: Record<Delivery['status'], string> = {
  pending: 'waiting for its first attempt',
  failing: 'the last attempt failed; a retry is scheduled',
  succeeded: 'the endpoint answered 2xx',
  dead: 'given up: retries exhausted, or the endpoint answered 410, was deleted or disabled',
};

/** `/deliveries/:id`: the attempt inspector, with replay and retry now. */
export function DeliveryPage() {
  const { id = '' } = useParams();
  // Keyed by id: a replay's notice or an open event belongs to one delivery, not to the next one opened from here.
  return <DeliveryView key={id} id={id} />;
}

function DeliveryView({ id }: { id: string }) {
  const { tenantId, can } = useSession();
  const queryClient = useQueryClient();
  const location = useLocation();
  // Back to the list as it was filtered, when the user came from it.
  const from = (location.state as { from?: string } | null)?.from;
  const back = (
    <p className="back-link">
      <Link to={from ? `/deliveries?${from}` : '/deliveries'}>Back to the delivery log</Link>
    </p>
  );

  const replay = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/deliveries/{id}/replay', { params: { path: { id }, query: { tenantId } }, body: {} })),
    onSuccess: (answer) => {
      // Only a delivery whose chain is over is replayed, and its replay goes straight to the dispatcher: nothing is scheduled for it.
      const replayed: DeliveryDetail = { ...answer.delivery, nextAttempt: null };
      queryClient.setQueryData(['deliveries', tenantId, 'one', id], replayed);
      queryClient.invalidateQueries({ queryKey: ['deliveries', tenantId, 'list'] });
    },
  });
  const awaited = replay.data?.attempt;
  const retryNow = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/deliveries/{id}/retry-now', { params: { path: { id }, query: { tenantId } }, body: {} })),
    // The scheduled row is now due: read the delivery again to show it so (the page keeps polling while the chain runs).
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['deliveries', tenantId, 'one', id] }),
  });
  const [eventOpen, setEventOpen] = useState(false);
  const showEvent = () => {
    setEventOpen(true);
    // Scrolled to once open, on the next frame, when its JSON has been laid out.
    requestAnimationFrame(() => document.getElementById('delivery-event')?.scrollIntoView({ block: 'start' }));
  };

  const delivery = useQuery({
    queryKey: ['deliveries', tenantId, 'one', id],
    queryFn: () => unwrap(api.GET('/v1/deliveries/{id}', { params: { path: { id }, query: { tenantId } } })),
    // The log changes on its own while a chain runs, and once a replay's attempt is logged.
    refetchInterval: (query) => {
      const d = query.state.data;
      const waiting = awaited !== undefined && !d?.attempts.some((a) => a.attempt >= awaited);
      return inProgress(d?.status) || waiting ? 2000 : false;
    },
  });

  if (delivery.isPending)
    return (
      <>
        {back}
        <PageHeader title="Delivery" />
        <Loading what="the delivery" />
      </>
    );
  if (delivery.isError)
    return (
      <>
        {back}
        <PageHeader title="Delivery" />
        <ErrorNotice error={delivery.error} retry={() => delivery.refetch()} title="The delivery could not be read" />
      </>
    );

  const d = delivery.data;
  const replayLogged = awaited !== undefined && d.attempts.some((a) => a.attempt >= awaited);
  // Only a retry that is scheduled can be brought forward: a held one waits for its endpoint to resume.
  const retryable = d.status === 'failing' && d.nextAttempt !== null && !d.nextAttempt.held;
  return (
    <>
      {back}
      <PageHeader title={`Delivery of ${d.eventType}`}>
        {can('deliveries:replay') && (
          <>
            {retryable && (
              <button type="button" onClick={() => retryNow.mutate()} disabled={retryNow.isPending}>
                Retry now
              </button>
            )}
            <button type="button" className="primary" onClick={() => replay.mutate()} disabled={replay.isPending || inProgress(d.status)}>
              Replay
            </button>
          </>
        )}
      </PageHeader>
      {can('deliveries:replay') && inProgress(d.status) && (
        <p className="muted">
          Replay is possible once this delivery has succeeded or is dead: its own chain of attempts is not over.
          {retryable && ' Retry now sends its scheduled retry at once instead of at its time, for when the endpoint has been fixed.'}
        </p>
      )}
      {replay.isError && <ErrorNotice error={replay.error} title="The replay was refused" />}
      {retryNow.isError && <ErrorNotice error={retryNow.error} title="The retry was refused" />}
      {retryNow.isSuccess && <Notice kind="success">Attempt {retryNow.data.attempt} is on its way.</Notice>}
      {replay.isSuccess && awaited !== undefined && (
        <Notice kind="success">
          Replay sent as attempt {awaited} of this same delivery (same webhook-id and Idempotency-Key).{' '}
          {replayLogged ? <a href={`#attempt-${awaited}`}>Show attempt {awaited}</a> : 'Waiting for it to be logged…'}
        </Notice>
      )}
      <Facts delivery={d} onShowEvent={showEvent} />
      <EventAndAttempts delivery={d} eventOpen={eventOpen} setEventOpen={setEventOpen} />
    </>
  );
}

function Facts({ delivery: d, onShowEvent }: { delivery: DeliveryDetail; onShowEvent(): void }) {
  const endpoints = useEndpointList();
  const endpoint = endpoints.data?.find((e) => e.id === d.endpointId);
  // The list holds every endpoint that still exists.
  const gone = endpoints.isSuccess && !endpoint;
  return (
    <section className="panel deliveries-panel" aria-labelledby="delivery-facts-title">
      <h2 id="delivery-facts-title">Details</h2>
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <StatusBadge status={d.status} /> <span className="muted">{STATUS_MEANING[d.status]}</span>
        </dd>
        {d.mode === 'test' && (
          <>
            <dt>Mode</dt>
            <dd>
              <Badge tone="info">test send</Badge> <span className="muted">made from Test mode; never retried</span>
            </dd>
          </>
        )}
        <dt>Delivery id</dt>
        <dd className="mono">{d.id}</dd>
        <dt>Event</dt>
        <dd>
          <span className="mono">{d.eventId}</span> · <span className="mono">{d.eventType}</span>
          {d.mode === 'live' && (
            <>
              {' · '}
              <button type="button" className="link" onClick={onShowEvent}>
                Show event JSON
              </button>
            </>
          )}
        </dd>
        <dt>Endpoint</dt>
        <dd>
          <Link to={`/endpoints/${d.endpointId}`} className="mono">
            {endpoint?.url ?? d.endpointId}
          </Link>
          {endpoint && endpoint.state.state !== 'enabled' && (
            <>
              {' '}
              <Badge tone="warn">{endpoint.state.state}</Badge>
            </>
          )}
          {gone && (
            <>
              {' '}
              <Badge tone="bad">deleted</Badge>
            </>
          )}
        </dd>
        {d.rule && (
          <>
            <dt>Made by rule</dt>
            <dd>
              <Link to={`/rules/${d.rule.id}`}>
                {d.rule.id} (version {d.rule.version})
              </Link>
              , action <code>{d.rule.actionKey}</code>
            </dd>
          </>
        )}
        <dt>Created</dt>
        <dd>{formatTime(d.createdAt)}</dd>
        <dt>Last attempt</dt>
        <dd>{formatTime(d.lastAttemptAt)}</dd>
        <dt>Attempts</dt>
        <dd>{d.attemptCount}</dd>
        {inProgress(d.status) && (
          <>
            <dt>Next attempt</dt>
            <dd>
              <NextAttempt status={d.status} next={d.nextAttempt} />
              {endpoint && <div className="muted">Retry policy: {describePolicy(endpoint.retryPolicy)}</div>}
              <div className="muted">This page refreshes every 2 seconds until the chain is over.</div>
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}

/** What the retry-scheduler holds next for a chain that is not over, or why it holds nothing. */
function NextAttempt({ status, next }: { status: Delivery['status']; next: DeliveryDetail['nextAttempt'] }) {
  const now = useNow(1000);
  if (!next) {
    // Nothing in the schedule: the first attempt is on its way, or a retry is being sent (its row left the schedule) or not written to it yet.
    return <>{status === 'pending' ? 'soon: the first attempt has not been logged yet' : 'on its way: being sent, or about to be scheduled'}</>;
  }
  if (next.held || !next.dueAt) return <>Attempt {next.attempt}: held while the endpoint is paused</>;
  const left = Date.parse(next.dueAt) - now;
  // The retry-scheduler issues a due row within about a second, so a row only just past due is still "now".
  const when = left > 0 ? `in about ${aboutDuration(left)}` : left > -60_000 ? 'due now' : `overdue by about ${aboutDuration(-left)}`;
  return (
    <>
      Attempt {next.attempt} at {formatTime(next.dueAt)} ({when})
    </>
  );
}

/** The current time, ticking every `everyMs`: a countdown must move while the answer stays the same. */
function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** A duration in its largest sensible unit, rounded: "40 seconds", "3 minutes", "2 hours", "1 day". */
function aboutDuration(ms: number): string {
  const unit = (n: number, name: string) => `${n} ${name}${n === 1 ? '' : 's'}`;
  const seconds = Math.max(1, Math.round(ms / 1000));
  if (seconds < 60) return unit(seconds, 'second');
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return unit(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (hours < 36) return unit(hours, 'hour');
  return unit(Math.round(hours / 24), 'day');
}

function describePolicy(policy: Endpoint['retryPolicy']): string {
  if (!policy) return "Hookline's default schedule (as shipped: immediately, then 5 s, 30 s, 2 m, 5 m, 30 m, 1 h, 2 h, 4 h, 8 h and 8 h, ±20 %)";
  if ('delays' in policy) return `the endpoint's own waits: ${policy.delays.join(', ')} (±20 %)`;
  return `the endpoint's own exponential waits: from ${policy.initial}, ×${policy.factor} each time, at most ${policy.maxDelay}, ${policy.attempts} attempts`;
}

/** The event (collapsible JSON) and the attempts, which take their request body from it. */
function EventAndAttempts({ delivery: d, eventOpen, setEventOpen }: { delivery: Delivery; eventOpen: boolean; setEventOpen(open: boolean): void }) {
  const { tenantId } = useSession();
  // A test send makes no event of the log (its event id names nothing there), so there is nothing to ask for.
  const testSend = d.mode === 'test';
  const event = useQuery({
    queryKey: ['events', tenantId, d.eventId],
    enabled: !testSend,
    queryFn: () => unwrap(api.GET('/v1/events/{id}', { params: { path: { id: d.eventId }, query: { tenantId } } })),
  });
  const missing = event.error instanceof ApiError && event.error.status === 404;
  const body: SentBody = d.rule
    ? { state: 'unknown', why: "This delivery was made by a rule's action, which shaped its body; the log does not keep a copy of it." }
    : testSend
      ? { state: 'unknown', why: "A test send's body is not kept in the log, only its attempt." }
      : event.isPending
        ? { state: 'loading' }
        : event.isSuccess
          ? { state: 'known', value: envelope(event.data) }
          : { state: 'unknown', why: 'The event could not be read, so the body cannot be shown.' };
  const attempts = [...d.attempts].sort((x, y) => y.attempt - x.attempt);

  return (
    <>
      <section className="panel deliveries-panel" aria-labelledby="delivery-event-title">
        <h2 id="delivery-event-title">Event</h2>
        {testSend ? (
          <p className="muted">A test send is not an event of the log: only its attempt is kept.</p>
        ) : event.isPending ? (
          <Loading what="the event" />
        ) : missing ? (
          <p className="muted">The event is not in the log: it left with retention, or log-store has not written it yet.</p>
        ) : event.isError ? (
          <ErrorNotice error={event.error} retry={() => event.refetch()} title="The event could not be read" />
        ) : (
          <>
            {event.data.schemaViolations && event.data.schemaViolations.length > 0 && (
              <Notice kind="warning">
                Accepted although it breaks its type&apos;s schema (mode warn):
                <ul>
                  {event.data.schemaViolations.map((v) => (
                    <li key={`${v.pointer}:${v.rule}`}>
                      <code>{v.pointer || '/'}</code>: {v.rule}
                    </li>
                  ))}
                </ul>
              </Notice>
            )}
            <details id="delivery-event" open={eventOpen} onToggle={(e) => setEventOpen(e.currentTarget.open)} className="deliveries-event">
              <summary>Event JSON</summary>
              <JsonBlock value={{ ...envelope(event.data), receivedAt: event.data.receivedAt }} label="Event JSON" />
            </details>
            <OtherDeliveries event={event.data} current={d.id} />
          </>
        )}
      </section>
      <section aria-labelledby="delivery-attempts-title">
        <h2 id="delivery-attempts-title">Attempts</h2>
        {attempts.length === 0 ? (
          <p className="muted">No attempt yet: the first one is on its way. This page refreshes on its own.</p>
        ) : (
          attempts.map((a, i) => <AttemptItem key={a.id} attempt={a} open={i === 0} body={body} />)
        )}
      </section>
    </>
  );
}

/** What the endpoint receives: the event without the log's own fields. */
function envelope(event: EventView) {
  return { id: event.id, type: event.type, tenantId: event.tenantId, occurredAt: event.occurredAt, data: event.data };
}

function OtherDeliveries({ event, current }: { event: EventView; current: string }) {
  const endpoints = useEndpointList();
  const others = event.deliveries.filter((o) => o.id !== current);
  if (others.length === 0) return null;
  return (
    <>
      <h3>Other deliveries of this event</h3>
      <ul className="deliveries-others">
        {others.map((o) => (
          <li key={o.id}>
            <Link to={`/deliveries/${o.id}`}>
              <span className="mono">{endpointLabel(endpoints.data, o.endpointId)}</span>
            </Link>{' '}
            <StatusBadge status={o.status} />
          </li>
        ))}
      </ul>
    </>
  );
}
