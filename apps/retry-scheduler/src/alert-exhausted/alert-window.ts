import type { DeliveryId } from '@hookline/contracts';

/** What is known of one endpoint's `delivery.exhausted` events. */
export interface AlertWindow {
  /** When the last event about the endpoint was emitted; null before the first. */
  startedAt: Date | null;
  /** The delivery that event named: a redone batch must neither announce nor count it again. */
  subjectDeliveryId: DeliveryId | null;
  /** Deliveries given up since that event without one of their own. */
  backlog: number;
}

export interface WindowPlan<C> {
  /** The delivery to announce now, with the backlog it reports; null while the window is open. */
  announce: { candidate: C; alsoExhausted: number } | null;
  /** Deliveries to add to the backlog (emptied first when announcing). */
  backlogAdds: DeliveryId[];
}

/**
 * At most one `delivery.exhausted` per endpoint per `intervalMs`: the first
 * delivery given up once the window is over is announced at once and reports
 * the backlog; those given up while it is open only join the backlog.
 * Deliveries already counted (in the backlog, or the one announced) are
 * skipped, so a batch handled twice changes nothing.
 */
export function planAlert<C extends { deliveryId: DeliveryId }>(
  window: AlertWindow,
  candidates: readonly C[],
  inBacklog: ReadonlySet<DeliveryId>,
  now: Date,
  intervalMs: number,
): WindowPlan<C> {
  const seen = new Set<DeliveryId>();
  const fresh = candidates.filter((c) => {
    const known = c.deliveryId === window.subjectDeliveryId || inBacklog.has(c.deliveryId) || seen.has(c.deliveryId);
    seen.add(c.deliveryId);
    return !known;
  });
  if (fresh.length === 0) return { announce: null, backlogAdds: [] };
  // A clock that went back keeps the window open rather than announcing early.
  const open = window.startedAt !== null && now.getTime() - window.startedAt.getTime() < intervalMs;
  if (open) return { announce: null, backlogAdds: fresh.map((c) => c.deliveryId) };
  const [first, ...rest] = fresh;
  return { announce: { candidate: first, alsoExhausted: window.backlog }, backlogAdds: rest.map((c) => c.deliveryId) };
}
