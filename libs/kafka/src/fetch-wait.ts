/**
 * How long a fetch waits at the broker when no data is there. Brokers answer a
 * fetch as soon as data arrives (`minBytes` 1), so this adds no latency; it
 * only sets how often an idle consumer asks. At 20–100 ms the six services'
 * empty fetches kept the broker at ~57 % of a core with nothing happening and
 * ~79 % at 200 events/s (BENCHMARKS.md, observation 4).
 */
export const IDLE_FETCH_WAIT_MS = 500;
