import type { Receipt } from './receiver';

/* Counting a scenario's receipts against what was expected: pure, so the definitions are unit-tested. */

/** One expected delivery: an event (by its `data.key`) to one endpoint (by path), under the event id it was sent with. */
export interface ExpectedPair {
  path: string;
  key: string;
  eventId: string;
}

export const pairOf = (path: string, key: string) => `${path} ${key}`;

export interface Tally {
  /** Distinct expected (event × endpoint) pairs received with a valid signature and answered 2xx. */
  delivered: number;
  /** Expected pairs never delivered. */
  lost: number;
  /** Extra 2xx receipts of a delivered pair under the same webhook-id and delivery id. */
  repeatedSameId: number;
  /** Pairs received under more than one webhook-id or delivery id (must be 0). */
  repeatedDifferentId: number;
  /** Receipts whose signature did not verify (must be 0). */
  invalidSignatures: number;
  /** 2xx receipts of no expected pair (e.g. a poison message delivered). */
  unexpected: number;
  /** First valid 2xx receipt of each delivered pair. */
  firsts: Map<string, Receipt>;
}

export function tally(expected: Iterable<ExpectedPair>, receipts: readonly Receipt[]): Tally {
  const wanted = new Map<string, ExpectedPair>();
  for (const pair of expected) wanted.set(pairOf(pair.path, pair.key), pair);
  const firsts = new Map<string, Receipt>();
  const idsOf = new Map<string, Set<string>>();
  let repeatedSameId = 0;
  let invalidSignatures = 0;
  let unexpected = 0;
  for (const r of receipts) {
    if (!r.validSignature) {
      invalidSignatures++;
      continue;
    }
    const key = pairOf(r.path, r.key);
    const pair = wanted.get(key);
    if (!pair) {
      if (r.status < 300) unexpected++;
      continue;
    }
    // Every attempt of a pair counts here, failed ones too: a retry must carry the same ids.
    const ids = idsOf.get(key) ?? new Set<string>();
    ids.add(`${r.webhookId} ${r.deliveryId}`);
    if (r.webhookId !== pair.eventId) ids.add(`sent as ${pair.eventId}`);
    idsOf.set(key, ids);
    if (r.status >= 300) continue;
    if (firsts.has(key)) repeatedSameId++;
    else firsts.set(key, r);
  }
  const repeatedDifferentId = [...idsOf.values()].filter((ids) => ids.size > 1).length;
  return { delivered: firsts.size, lost: wanted.size - firsts.size, repeatedSameId, repeatedDifferentId, invalidSignatures, unexpected, firsts };
}

/**
 * Seconds from the end of a fault until deliveries flow again at the normal
 * rate: the normal rate is the count of first receipts per second over the
 * `baselineMs` before the fault began; recovered at the first moment t after
 * the fault's end at which the last second held at least half that many first
 * receipts, or when the last expected delivery arrived, whichever comes first.
 * With nothing flowing before the fault, the first receipt after its end.
 * null: never recovered in what was received.
 */
export function recoverySeconds(
  firstReceipts: readonly number[],
  fault: { start: number; end: number },
  lastExpected: number | undefined,
  baselineMs = 5000,
): number | null {
  const times = [...firstReceipts].sort((a, b) => a - b);
  const before = times.filter((t) => t >= fault.start - baselineMs && t < fault.start).length;
  const normalPerSecond = (before / baselineMs) * 1000;
  const after = times.filter((t) => t >= fault.end);
  let recovered: number | undefined;
  if (normalPerSecond === 0) recovered = after[0];
  else {
    const threshold = Math.max(1, Math.ceil(normalPerSecond / 2));
    // Sliding one-second window, ending at each receipt.
    let from = 0;
    for (let i = 0; i < after.length; i++) {
      while (after[i]! - after[from]! >= 1000) from++;
      if (i - from + 1 >= threshold) {
        recovered = after[i];
        break;
      }
    }
  }
  if (lastExpected !== undefined && lastExpected >= fault.end && (recovered === undefined || lastExpected < recovered)) recovered = lastExpected;
  if (lastExpected !== undefined && lastExpected < fault.end) recovered = fault.end;
  return recovered === undefined ? null : Math.round((recovered - fault.end) / 100) / 10;
}

export function percentile(values: readonly number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
