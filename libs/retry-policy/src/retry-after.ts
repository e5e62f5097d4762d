/** Statuses whose `Retry-After` Hookline honours: the endpoint asks to be left alone for a while. */
export const RETRY_AFTER_STATUSES: ReadonlySet<number> = new Set([429, 503]);

// Every HTTP-date form (IMF-fixdate, RFC 850, asctime) begins with a day name;
// Date.parse alone takes "-5" or "1.5" for dates.
const HTTP_DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? /;

/**
 * Seconds asked for by a `Retry-After` header (delta-seconds or an HTTP date),
 * or null when there is none or it does not parse. A date in the past is 0.
 */
export function parseRetryAfter(value: string | undefined, now: Date): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = HTTP_DATE.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - now.getTime()) / 1000));
}

/** The `Retry-After` of an answer, in seconds, when its status is one that Hookline honours it for. */
export function retryAfterOf(response: { status: number; headers: Record<string, string> }, now: Date): number | null {
  return RETRY_AFTER_STATUSES.has(response.status) ? parseRetryAfter(response.headers['retry-after'], now) : null;
}
