/** Largest page: one producer batch, and a cancel is seen within a page. */
export const MAX_PAGE = 500;

/** Deliveries per page at `ratePerSecond`: about one second of sending, 1 to `MAX_PAGE`. */
export function pageSizeFor(ratePerSecond: number): number {
  return Math.max(1, Math.min(MAX_PAGE, Math.floor(ratePerSecond)));
}

/** How long to wait after `sent` requests took `elapsedMs`, so that the job sends at most `ratePerSecond` on average. */
export function waitAfterPage(sent: number, ratePerSecond: number, elapsedMs: number): number {
  return Math.max(0, Math.ceil((sent * 1000) / ratePerSecond - elapsedMs));
}
