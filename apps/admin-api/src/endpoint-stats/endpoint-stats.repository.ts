import { Inject, Injectable } from '@nestjs/common';
import type { EndpointId } from '@hookline/contracts';
import type { DataSource } from '@hookline/database';
import { DATA_SOURCE } from '@hookline/service-kit';
import type { EndpointStatsReader, HourFigures, LastError, WindowFigures } from './endpoint-stats.ports';

const HOUR_MS = 60 * 60 * 1000;

/**
 * The statements behind an endpoint's health; each reads one endpoint's rows
 * through an index led by endpoint_id (migrations
 * 1795700000000-endpoint-stats-indexes and 1795730000000-delivery-log-indexes):
 * the window statements read only the window's index entries, the last error
 * only failed attempts, and the run of failures only the deliveries since the
 * last success. Test sends (mode `test`) say nothing of the endpoint's health
 * in production, so every statement reads live rows only. `$1` is the
 * endpoint, `$2` the start of a window (`$3` its end, for the hourly series).
 */
export const ENDPOINT_STATS_SQL = {
  // Latency is how long the endpoint takes to answer: attempts refused before sending or lost to a network error have no such time.
  attempts: `SELECT count(*) AS total,
                    count(*) FILTER (WHERE succeeded) AS succeeded,
                    percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY duration_ms)
                      FILTER (WHERE response_status IS NOT NULL OR failure_kind = 'timeout') AS latency
             FROM attempts WHERE endpoint_id = $1 AND started_at >= $2 AND mode = 'live'`,
  // The hour is counted from the series' start rather than truncated with date_trunc, which would follow the session's time zone.
  hourly: `SELECT floor(extract(epoch FROM started_at - $2::timestamptz) / 3600)::int AS hour,
                  count(*) AS attempts,
                  count(*) FILTER (WHERE succeeded) AS succeeded
           FROM attempts WHERE endpoint_id = $1 AND started_at >= $2 AND started_at < $3 AND mode = 'live'
           GROUP BY 1`,
  deliveries: `SELECT status, count(*) AS count FROM deliveries WHERE endpoint_id = $1 AND created_at >= $2 AND mode = 'live' GROUP BY status`,
  lastError: `SELECT started_at, failure_kind, response_status, failure_message FROM attempts
              WHERE endpoint_id = $1 AND NOT succeeded AND mode = 'live' ORDER BY started_at DESC LIMIT 1`,
  // The row comparison breaks ties at one instant by id but is no index range; the created_at bound is, so only the run is read.
  consecutiveFailures: `WITH last_success AS (
                          SELECT created_at, id FROM deliveries WHERE endpoint_id = $1 AND status = 'succeeded' AND mode = 'live' ORDER BY created_at DESC, id DESC LIMIT 1
                        )
                        SELECT count(*) AS count FROM deliveries d
                        WHERE d.endpoint_id = $1 AND d.status = 'dead' AND d.mode = 'live'
                          AND d.created_at >= coalesce((SELECT created_at FROM last_success), '-infinity')
                          AND (NOT EXISTS (SELECT 1 FROM last_success) OR (d.created_at, d.id) > (SELECT created_at, id FROM last_success))`,
};

/** An endpoint's health, computed where the log is. */
@Injectable()
export class EndpointStatsRepository implements EndpointStatsReader {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  async windows(endpointId: EndpointId, since: Date[]): Promise<WindowFigures[]> {
    return Promise.all(since.map((start) => this.window(endpointId, start)));
  }

  private async window(endpointId: EndpointId, since: Date): Promise<WindowFigures> {
    const [attempts] = await this.db.query<{ total: string; succeeded: string; latency: number[] | null }[]>(ENDPOINT_STATS_SQL.attempts, [endpointId, since]);
    const statuses = await this.db.query<{ status: string; count: string }[]>(ENDPOINT_STATS_SQL.deliveries, [endpointId, since]);
    const deliveries = { pending: 0, failing: 0, succeeded: 0, dead: 0 };
    for (const { status, count } of statuses) if (status in deliveries) deliveries[status as keyof typeof deliveries] = Number(count);
    const latency = attempts.latency;
    return {
      attempts: { total: Number(attempts.total), succeeded: Number(attempts.succeeded) },
      latencyMs: latency ? { p50: latency[0], p95: latency[1], p99: latency[2] } : null,
      deliveries,
    };
  }

  async hourly(endpointId: EndpointId, from: Date, hours: number): Promise<HourFigures[]> {
    const end = new Date(from.getTime() + hours * HOUR_MS);
    const rows = await this.db.query<{ hour: number; attempts: string; succeeded: string }[]>(ENDPOINT_STATS_SQL.hourly, [endpointId, from, end]);
    const byHour = new Map(rows.map((r) => [Number(r.hour), r]));
    return Array.from({ length: hours }, (_, i) => {
      const row = byHour.get(i);
      return { start: new Date(from.getTime() + i * HOUR_MS), attempts: Number(row?.attempts ?? 0), succeeded: Number(row?.succeeded ?? 0) };
    });
  }

  async lastError(endpointId: EndpointId): Promise<LastError | null> {
    const [row] = await this.db.query<{ started_at: Date; failure_kind: string; response_status: number | null; failure_message: string | null }[]>(
      ENDPOINT_STATS_SQL.lastError,
      [endpointId],
    );
    return row ? { at: row.started_at, kind: row.failure_kind, status: row.response_status, message: row.failure_message } : null;
  }

  async consecutiveFailures(endpointId: EndpointId): Promise<number> {
    const [row] = await this.db.query<{ count: string }[]>(ENDPOINT_STATS_SQL.consecutiveFailures, [endpointId]);
    return Number(row.count);
  }
}
