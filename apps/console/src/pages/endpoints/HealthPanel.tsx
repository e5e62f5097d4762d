import { useId } from 'react';
import { formatMs, formatPercent, formatTime } from '../../ui/display';
import { ErrorNotice, Loading, Notice } from '../../ui/feedback';
import { seriesOf, useEndpointStats, type StatsWindow } from './api';
import { DeliveryChart } from './DeliveryChart';
import { DataTable } from '../../ui/table';

/** Figures are computed by admin-api when asked; a minute keeps an open page current without hammering the log. */
const REFRESH_MS = 60_000;

const ROWS: { label: string; value(w: StatsWindow): string }[] = [
  { label: 'Attempts', value: (w) => `${w.attempts.total} (${w.attempts.succeeded} succeeded, ${w.attempts.failed} failed)` },
  { label: 'Attempt success rate', value: (w) => formatPercent(w.successRate) },
  {
    label: 'Latency p50 / p95 / p99',
    value: (w) => (w.latencyMs ? `${formatMs(w.latencyMs.p50)} / ${formatMs(w.latencyMs.p95)} / ${formatMs(w.latencyMs.p99)}` : '—'),
  },
  { label: 'Deliveries pending / failing / dead', value: (w) => `${w.deliveries.pending} / ${w.deliveries.failing} / ${w.deliveries.dead}` },
  { label: 'Delivery success rate', value: (w) => formatPercent(w.deliveries.successRate) },
];

/** How the endpoint is doing: the last hour and day side by side, the run of failures, the last error, and volume per hour. */
export function HealthPanel({ tenantId, id }: { tenantId: string; id: string }) {
  const titleId = useId();
  const stats = useEndpointStats(tenantId, id, REFRESH_MS);
  return (
    <section className="panel" aria-labelledby={titleId}>
      <h2 id={titleId}>Health</h2>
      {stats.isPending ? (
        <Loading what="health figures" />
      ) : stats.isError ? (
        <ErrorNotice error={stats.error} title="The health figures could not be loaded" retry={() => void stats.refetch()} />
      ) : (
        <>
          {stats.data.lastDay.attempts.total === 0 && stats.data.lastDay.deliveries.total === 0 && (
            <Notice>Nothing was delivered to this endpoint in the last 24 hours. Figures fill in as events arrive; “Send a test” checks it now.</Notice>
          )}
          <DataTable columns={['Figure', 'Last hour', 'Last 24 hours']} className="endpoints-health" caption="Health over the last hour and the last 24 hours">
            {ROWS.map((r) => (
              <tr key={r.label}>
                <th scope="row">{r.label}</th>
                <td>{r.value(stats.data.lastHour)}</td>
                <td>{r.value(stats.data.lastDay)}</td>
              </tr>
            ))}
          </DataTable>
          <dl className="facts endpoints-health-facts">
            <dt>Consecutive failed deliveries</dt>
            <dd>{stats.data.consecutiveFailures}</dd>
            <dt>Last error</dt>
            <dd>
              {stats.data.lastError ? (
                <>
                  {stats.data.lastError.status !== null ? `HTTP ${stats.data.lastError.status}` : stats.data.lastError.kind}
                  {stats.data.lastError.message && `: ${stats.data.lastError.message}`} <span className="muted">({formatTime(stats.data.lastError.at)})</span>
                </>
              ) : (
                'none'
              )}
            </dd>
            <dt>Computed</dt>
            <dd>{formatTime(stats.data.at)}</dd>
          </dl>
          <Volume series={seriesOf(stats.data)} />
        </>
      )}
    </section>
  );
}

function Volume({ series }: { series: ReturnType<typeof seriesOf> }) {
  // An admin-api older than the console answers without the series: no chart then, rather than an empty one.
  if (!series) return null;
  if (series.every((h) => h.attempts === 0)) return <p className="muted">No delivery attempts in the last 24 hours to chart.</p>;
  return <DeliveryChart series={series} />;
}
