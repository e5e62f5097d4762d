/**
 * How long to wait after each failed attempt, and how much to spread the waits.
 * `schedule[k - 1]` is the wait after failed attempt k; once it runs out the
 * delivery is exhausted, so a delivery gets `schedule.length + 1` attempts.
 * An endpoint's own policy (`endpoint-policy.ts`) replaces `schedule`.
 */
export interface RetryPolicy {
  readonly schedule: readonly number[];
  /** Each wait is spread uniformly over ±`jitter` of itself (0.2 = ±20 %). */
  readonly jitter: number;
}

/** Immediately, then about 5 s, 30 s, 2 m, 5 m, 30 m, 1 h, 2 h, 4 h, 8 h, 8 h: 11 attempts over ≈ 24 h (README, "Delivery semantics"). */
export const DEFAULT_SCHEDULE_MS: readonly number[] = [5, 30, 120, 300, 1800, 3600, 7200, 14400, 28800, 28800].map((s) => s * 1000);

export const DEFAULT_JITTER = 0.2;

export const DEFAULT_RETRY_POLICY: RetryPolicy = { schedule: DEFAULT_SCHEDULE_MS, jitter: DEFAULT_JITTER };

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

const DURATION = /^\s*(\d+)(ms|s|m|h)?\s*$/;

/** Reads one wait, `500ms`, `5s`, `2m`, `1h` or plain milliseconds; null when it is none. */
export function parseDuration(text: string): number | null {
  const match = DURATION.exec(text);
  return match ? Number(match[1]) * UNITS[match[2] ?? 'ms'] : null;
}

/** Parses `5s,30s,2m,1h` (or plain milliseconds) into a schedule; throws naming the bad item. */
export function parseSchedule(text: string): number[] {
  return text.split(',').map((item, i) => {
    const ms = parseDuration(item);
    if (ms === null) throw new Error(`item ${i + 1} ("${item}") must be a number with an optional unit ms, s, m or h`);
    return ms;
  });
}

/** Writes a wait in the largest unit that divides it (`90000` → `90s`), which `parseDuration` reads back. */
export function formatDuration(ms: number): string {
  for (const [unit, factor] of [
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const)
    if (ms !== 0 && ms % factor === 0) return `${ms / factor}${unit}`;
  return `${ms}ms`;
}
