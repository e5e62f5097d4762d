import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { api, ApiError, unwrap, type BodyOf } from '../../api/client';
import { useSession } from '../../session/session';
import { formatTime } from '../../ui/display';
import { ErrorNotice, Loading, Notice } from '../../ui/feedback';
import { Field } from '../../ui/form';
import { endpointLabel, fromLocalInput, JobStateBadge, jobActive, toLocalInput, useEndpointList, type RecoveryJob } from './model';
import { DataTable } from '../../ui/table';

type RecoverBody = BodyOf<'/v1/tenants/{tenantId}/endpoints/{id}/recover', 'post'>;
type RecoverStatus = NonNullable<RecoverBody['statuses']>[number];

const RECOVERABLE: { value: RecoverStatus; label: string }[] = [
  { value: 'dead', label: 'Dead' },
  { value: 'failing', label: 'Failing' },
  { value: 'succeeded', label: 'Succeeded' },
];

/** Recovery for the endpoint the log is filtered on: resend what it missed since a moment, then watch the job. */
export function RecoverSection({ endpointId, defaultSince }: { endpointId: string; defaultSince?: string }) {
  const { can } = useSession();
  const endpoints = useEndpointList();
  return (
    <section className="panel deliveries-panel" aria-labelledby="deliveries-recover-title">
      <h2 id="deliveries-recover-title">Recover this endpoint</h2>
      <p className="muted">
        After an outage, resend every delivery to <span className="mono">{endpointLabel(endpoints.data, endpointId)}</span> created since a moment. Each is sent
        again as a replay: same delivery id, <code>webhook-id</code> and <code>Idempotency-Key</code>, so a receiver that deduplicates sees a repeat.
      </p>
      {can('deliveries:replay') ? (
        <RecoverForm endpointId={endpointId} defaultSince={defaultSince} />
      ) : (
        <p className="muted">Resending needs an API key with the scope deliveries:replay.</p>
      )}
      <RecoveryJobs />
    </section>
  );
}

function RecoverForm({ endpointId, defaultSince }: { endpointId: string; defaultSince?: string }) {
  const { tenantId } = useSession();
  const queryClient = useQueryClient();
  const [since, setSince] = useState(() => toLocalInput(defaultSince ?? new Date(Date.now() - 86_400_000).toISOString()));
  const [statuses, setStatuses] = useState<RecoverStatus[]>(['dead']);
  const [jobId, setJobId] = useState<string | null>(null);
  const statusesId = useId();

  // An unreadable time is sent as typed: the API's answer names the field.
  const body = { since: fromLocalInput(since) ?? since, statuses };
  const recover = (input: RecoverBody, dryRun: boolean) =>
    unwrap(api.POST('/v1/tenants/{tenantId}/endpoints/{id}/recover', { params: { path: { tenantId, id: endpointId } }, body: { ...input, dryRun } }));

  const dryRun = useMutation({
    mutationFn: async (input: RecoverBody) => {
      const answer = await recover(input, true);
      return { input, count: 'count' in answer ? answer.count : 0 };
    },
  });
  const start = useMutation({
    mutationFn: async (input: RecoverBody) => (await recover(input, false)) as RecoveryJob,
    onSuccess: (job) => {
      queryClient.setQueryData(['recovery-jobs', tenantId, job.id], job);
      queryClient.invalidateQueries({ queryKey: ['recovery-jobs', tenantId, 'list'] });
      setJobId(job.id);
      dryRun.reset();
    },
  });
  // A count holds for the inputs it was made with; any change asks for a new dry run before starting.
  const counted = dryRun.data && JSON.stringify(dryRun.data.input) === JSON.stringify(body) ? dryRun.data.count : null;
  const error = start.error ?? dryRun.error;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    start.reset();
    dryRun.mutate(body);
  };
  const toggle = (status: RecoverStatus, checked: boolean) =>
    setStatuses(RECOVERABLE.map((s) => s.value).filter((s) => (s === status ? checked : statuses.includes(s))));
  const statusRule = error instanceof ApiError ? error.issueFor('statuses') : undefined;

  return (
    <>
      <form onSubmit={submit} className="deliveries-recover-form">
        <Field
          label="Resend failed deliveries since"
          name="since"
          error={error}
          hint="Deliveries created (their event accepted) at or after this moment, up to now."
        >
          {(p) => <input {...p} type="datetime-local" value={since} onChange={(e) => setSince(e.target.value)} required />}
        </Field>
        <fieldset aria-describedby={statusRule ? statusesId : undefined}>
          <legend>Resend deliveries that are</legend>
          <div className="row">
            {RECOVERABLE.map((s) => (
              <label key={s.value} className="deliveries-check">
                <input type="checkbox" checked={statuses.includes(s.value)} onChange={(e) => toggle(s.value, e.target.checked)} />
                {s.label}
              </label>
            ))}
          </div>
          {statusRule && (
            <small id={statusesId} className="field-error">
              {statusRule}
            </small>
          )}
        </fieldset>
        <div className="row">
          <button type="submit" disabled={dryRun.isPending || statuses.length === 0}>
            Dry run
          </button>
          <button type="button" className="primary" disabled={!counted || start.isPending} onClick={() => start.mutate(body)}>
            Start recovery
          </button>
        </div>
      </form>
      {statuses.length === 0 && <p className="muted">Choose at least one status to resend.</p>}
      {counted !== null && (
        <Notice>
          {counted === 0
            ? 'Dry run: no delivery matches, nothing to resend.'
            : `Dry run: ${counted} ${counted === 1 ? 'delivery matches' : 'deliveries match'} now. Start recovery to resend ${counted === 1 ? 'it' : 'them'}.`}
        </Notice>
      )}
      {error && <ErrorNotice error={error} title={start.error ? 'The recovery could not start' : 'The dry run failed'} />}
      {jobId && <JobProgress jobId={jobId} />}
    </>
  );
}

/** The running job, read every second until it ends; it can be cancelled meanwhile. */
function JobProgress({ jobId }: { jobId: string }) {
  const { tenantId } = useSession();
  const queryClient = useQueryClient();
  const progressId = useId();
  const job = useQuery({
    queryKey: ['recovery-jobs', tenantId, jobId],
    queryFn: () => unwrap(api.GET('/v1/recovery-jobs/{id}', { params: { path: { id: jobId }, query: { tenantId } } })),
    refetchInterval: (query) => (jobActive(query.state.data) ? 1000 : false),
  });
  const cancel = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/recovery-jobs/{id}/cancel', { params: { path: { id: jobId }, query: { tenantId } } })),
    onSuccess: (answer) => queryClient.setQueryData(['recovery-jobs', tenantId, jobId], answer),
    // Refused because the job ended meanwhile: show how it ended.
    onError: () => queryClient.invalidateQueries({ queryKey: ['recovery-jobs', tenantId, jobId] }),
  });
  const ended = job.data !== undefined && !jobActive(job.data);
  useEffect(() => {
    // The resent deliveries change the log, and the job list shows the job's final state.
    if (ended) {
      queryClient.invalidateQueries({ queryKey: ['deliveries', tenantId] });
      queryClient.invalidateQueries({ queryKey: ['recovery-jobs', tenantId, 'list'] });
    }
  }, [ended, tenantId, queryClient]);

  if (job.isPending) return <Loading what="the recovery job" />;
  if (job.isError) return <ErrorNotice error={job.error} retry={() => job.refetch()} title="The recovery job could not be read" />;
  const j = job.data;
  const settled = j.done + j.failed;
  return (
    <div className="deliveries-job">
      <div className="row deliveries-job-head">
        <label htmlFor={progressId}>Recovery progress</label>
        <JobStateBadge state={j.state} />
      </div>
      {/* A job with nothing to send has total 0: shown full rather than as an empty bar. */}
      <progress id={progressId} max={Math.max(j.total, 1)} value={j.total === 0 ? (ended ? 1 : 0) : settled}>
        {settled} of {j.total}
      </progress>
      <p>
        {j.done} of {j.total} resent
        {j.failed > 0 && `, ${j.failed} could not be (their event left the log)`}
        {j.state === 'done' && settled < j.total && `; ${j.total - settled} had moved on their own (replayed or retried meanwhile) and were left alone`}.
      </p>
      {j.error && <p className="field-error">{j.error}</p>}
      {jobActive(j) && (
        <button type="button" className="danger" onClick={() => cancel.mutate()} disabled={cancel.isPending}>
          Cancel recovery
        </button>
      )}
      {cancel.isError && <ErrorNotice error={cancel.error} title="The job could not be cancelled" />}
    </div>
  );
}

/** The tenant's recent recovery jobs, newest first; read again while one of them is still going. */
function RecoveryJobs() {
  const { tenantId } = useSession();
  const endpoints = useEndpointList();
  const jobs = useQuery({
    queryKey: ['recovery-jobs', tenantId, 'list'],
    queryFn: () => unwrap(api.GET('/v1/tenants/{tenantId}/recovery-jobs', { params: { path: { tenantId }, query: { limit: 10 } } })),
    refetchInterval: (query) => (query.state.data?.data.some(jobActive) ? 2000 : false),
  });
  return (
    <>
      <h3 id="deliveries-jobs-title">Recent recovery jobs</h3>
      {jobs.isPending ? (
        <Loading what="recovery jobs" />
      ) : jobs.isError ? (
        <ErrorNotice error={jobs.error} retry={() => jobs.refetch()} title="Recovery jobs could not be read" />
      ) : jobs.data.data.length === 0 ? (
        <p className="muted">No recovery job yet for this tenant. Start one above with a dry run, then Start recovery.</p>
      ) : (
        <DataTable columns={['Created', 'Endpoint', 'Since', 'Statuses', 'State', 'Resent']} labelledBy="deliveries-jobs-title">
          {jobs.data.data.map((j) => (
            <tr key={j.id}>
              <td className="deliveries-nowrap">{formatTime(j.createdAt)}</td>
              <td className="mono deliveries-endpoint">{endpointLabel(endpoints.data, j.endpointId)}</td>
              <td className="deliveries-nowrap">{formatTime(j.since)}</td>
              <td>{j.statuses.join(', ')}</td>
              <td>
                <JobStateBadge state={j.state} />
                {j.error && <div className="field-error">{j.error}</div>}
              </td>
              <td className="deliveries-nowrap">
                {j.done} / {j.total}
                {j.failed > 0 && ` (${j.failed} failed)`}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}
