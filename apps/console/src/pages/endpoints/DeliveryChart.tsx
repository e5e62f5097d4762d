import { useId } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { HourFigures } from './api';
import { DataTable } from '../../ui/table';

// The console's good and bad tones (styles.css); SVG attributes take colours, not CSS variables.
const SUCCEEDED = '#2e8b57';
const FAILED = '#c0392b';

const hourLabel = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** The chart's point in words: volume, failures and the busiest hour, for the caption and the text alternative. */
export function summarize(series: HourFigures[]): string {
  const attempts = series.reduce((n, h) => n + h.attempts, 0);
  const failed = series.reduce((n, h) => n + h.failed, 0);
  if (attempts === 0) return 'No delivery attempts in the last 24 hours.';
  const busiest = series.reduce((a, b) => (b.attempts > a.attempts ? b : a));
  const worst = series.reduce((a, b) => (b.failed > a.failed ? b : a));
  const parts = [
    `${attempts} delivery attempt${attempts === 1 ? '' : 's'} in the last 24 hours, ${failed} failed.`,
    `Busiest hour: ${hourLabel(busiest.start)} with ${busiest.attempts}.`,
  ];
  if (worst.failed > 0) parts.push(`Most failures: ${hourLabel(worst.start)} with ${worst.failed}.`);
  return parts.join(' ');
}

/**
 * Attempts per hour, succeeded stacked under failed. The drawing is an image
 * to assistive technology, named by its summary; the same figures are in a
 * table under "Hourly figures" for anyone who wants the numbers.
 */
export function DeliveryChart({ series }: { series: HourFigures[] }) {
  const titleId = useId();
  const summary = summarize(series);
  const data = series.map((h) => ({ hour: hourLabel(h.start), succeeded: h.succeeded, failed: h.failed }));
  return (
    <figure className="endpoints-chart" aria-labelledby={titleId}>
      <h3 id={titleId}>Deliveries over the last 24 hours</h3>
      <div className="endpoints-chart-drawing" role="img" aria-label={`Bar chart of delivery attempts per hour. ${summary}`}>
        <ResponsiveContainer width="100%" height={240}>
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="hour" tick={{ fontSize: 12 }} interval="preserveStartEnd" minTickGap={12} />
            <YAxis allowDecimals={false} tick={{ fontSize: 12 }} />
            <Tooltip />
            <Legend />
            <Bar dataKey="succeeded" name="Succeeded" stackId="attempts" fill={SUCCEEDED} isAnimationActive={false} />
            <Bar dataKey="failed" name="Failed" stackId="attempts" fill={FAILED} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="muted">Attempts per clock hour, the last bar being the current hour. {summary}</figcaption>
      <details className="endpoints-hourly">
        <summary>Hourly figures</summary>
        <DataTable columns={['Hour starting', 'Attempts', 'Succeeded', 'Failed']} caption="Delivery attempts per hour over the last 24 hours">
          {series.map((h) => (
            <tr key={h.start}>
              <th scope="row">{hourLabel(h.start)}</th>
              <td>{h.attempts}</td>
              <td>{h.succeeded}</td>
              <td>{h.failed}</td>
            </tr>
          ))}
        </DataTable>
      </details>
    </figure>
  );
}
