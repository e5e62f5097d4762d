import type { EndpointId } from '@hookline/contracts';

/** What one endpoint's attempts and deliveries came to since `since` (a window ending now). */
export interface WindowFigures {
  attempts: { total: number; succeeded: number };
  /** Attempt duration in ms at p50, p95, p99, over attempts that got an HTTP answer or timed out; null when there were none. */
  latencyMs: { p50: number; p95: number; p99: number } | null;
  /** Deliveries created in the window, by their status now. */
  deliveries: { pending: number; failing: number; succeeded: number; dead: number };
}

/** Live attempts started in one hour of an endpoint's series. */
export interface HourFigures {
  start: Date;
  attempts: number;
  succeeded: number;
}

export interface LastError {
  at: Date;
  kind: string;
  status: number | null;
  message: string | null;
}

/** Health figures of an endpoint, computed in PostgreSQL on log-store's tables. */
export interface EndpointStatsReader {
  /** Figures of each window; `windows` are start times, the window ends now. */
  windows(endpointId: EndpointId, since: Date[]): Promise<WindowFigures[]>;
  /** Attempts of each of `hours` consecutive hours from `from`, oldest first: one entry per hour, zeros for an hour without any. */
  hourly(endpointId: EndpointId, from: Date, hours: number): Promise<HourFigures[]>;
  /** The newest failed attempt of the endpoint, or null. */
  lastError(endpointId: EndpointId): Promise<LastError | null>;
  /** Dead deliveries after the newest succeeded one (deliveries in progress neither count nor break the run). */
  consecutiveFailures(endpointId: EndpointId): Promise<number>;
}
