import fc from 'fast-check';
import {
  admit,
  DEFERRAL_MAX_MS,
  DEFERRAL_MIN_MS,
  deferralDelayMs,
  MAX_QUEUE_WAIT_MS,
  queueRoom,
  RATE_DEFERRAL_LEAD_MS,
  rateDeferral,
  rateWaitMs,
  type AdmissionLimits,
} from './deferral';

const limits: AdmissionLimits = { concurrency: 20, queueLimit: 1_000, share: 1_000 };

describe(queueRoom.name, () => {
  it.each([
    [0, 1_000], // speed unknown: the queue limit
    [5, 1_000], // 5 ms attempts: 8,000 could start within the wait, the limit caps it
    [100, 400], // 20 slots × 2 s / 100 ms
    [1_000, 40],
    [30_000, 1], // a hung endpoint at a 30 s timeout: one waits, in case a slot frees
    [60_000, 0],
  ])('attempts of %i ms → room for %i', (attemptMs, room) => {
    expect(queueRoom({ attemptMs }, limits)).toBe(room);
  });

  it('never lets a waiting request expect to wait longer than the bound, nor exceed the queue limit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 120_000 }), fc.integer({ min: 1, max: 1_000 }), fc.nat(100_000), (attemptMs, concurrency, queueLimit) => {
        const room = queueRoom({ attemptMs }, { concurrency, queueLimit });
        return room >= 0 && room <= queueLimit && (room * attemptMs) / concurrency <= MAX_QUEUE_WAIT_MS;
      }),
    );
  });
});

describe(admit.name, () => {
  it.each([
    [{ active: 3, queued: 0, attemptMs: 30_000 }, { action: 'start' }], // a free slot: even a hung endpoint gets its attempts
    [{ active: 20, queued: 500, attemptMs: 5 }, { action: 'queue' }], // a fast endpoint's burst waits: it drains in milliseconds
    [{ active: 20, queued: 0, attemptMs: 30_000 }, { action: 'queue' }], // room for one
    [
      { active: 20, queued: 1, attemptMs: 30_000 },
      { action: 'defer', reason: 'endpoint_backlog' },
    ],
    [
      { active: 20, queued: 980, attemptMs: 1 },
      { action: 'defer', reason: 'partition_share' },
    ], // fast, but holds its whole share
    [
      { active: 20, queued: 1_000, attemptMs: 0 },
      { action: 'defer', reason: 'partition_share' },
    ],
  ])('%j → %j', (load, expected) => {
    expect(admit(load, limits)).toEqual(expected);
  });

  it('keeps what one endpoint holds within its share unless all of it starts within the bound, never beyond the window, and starts whenever a slot is free', () => {
    fc.assert(
      fc.property(
        fc.nat(100),
        fc.nat(5_000),
        fc.nat(60_000),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 3_000 }),
        fc.nat(3_000),
        (active, queued, attemptMs, concurrency, share, beyond) => {
          const load = { active, queued, attemptMs };
          const window = share + beyond;
          const decision = admit(load, { concurrency, queueLimit: 10_000, share, window });
          const room = queueRoom(load, { concurrency, queueLimit: 10_000 });
          if (active + queued >= window) return decision.action === 'defer' && decision.reason === 'partition_share';
          // Past its share, an endpoint keeps a request only if all it holds, the request too, can start within the bound.
          if (active + queued >= share && active + queued >= room) return decision.action === 'defer' && decision.reason === 'partition_share';
          // Without a rate limit, requests wait only while every slot is taken.
          if (active < concurrency && queued === 0) return decision.action === 'start';
          if (decision.action === 'queue') return queued < room && (queued * attemptMs) / concurrency <= MAX_QUEUE_WAIT_MS;
          return decision.action === 'defer' && decision.reason === 'endpoint_backlog' && queued >= room;
        },
      ),
    );
  });

  describe('a healthy burst beyond the share', () => {
    const windowed: AdmissionLimits = { concurrency: 20, queueLimit: 2_000, share: 1_000, window: 2_000 };

    it('waits in full, up to the window, when all the endpoint holds starts within the bound', () => {
      // 1 ms attempts: 1,500 waiting start within 75 ms.
      expect(admit({ active: 20, queued: 1_500, attemptMs: 1 }, windowed)).toEqual({ action: 'queue' });
      // Speed not measurable yet (no attempt has ended): like a fast one, shed within a quarter second if it hangs.
      expect(admit({ active: 20, queued: 1_500, attemptMs: 0 }, windowed)).toEqual({ action: 'queue' });
      // The window is the limit: the consumer stops fetching there, so what comes next waits in Kafka.
      expect(admit({ active: 20, queued: 1_980, attemptMs: 1 }, windowed)).toEqual({ action: 'defer', reason: 'partition_share' });
    });

    it('is cut at the share for an endpoint that could not start it within the bound', () => {
      // 30 ms attempts: 1,333 waiting start within 2 s. Below the share the room rules as ever; past it, too, but as its share.
      expect(admit({ active: 20, queued: 979, attemptMs: 30 }, windowed)).toEqual({ action: 'queue' });
      expect(admit({ active: 20, queued: 1_400, attemptMs: 30 }, windowed)).toEqual({ action: 'defer', reason: 'partition_share' });
      expect(admit({ active: 20, queued: 1_300, attemptMs: 30 }, windowed)).toEqual({ action: 'queue' });
    });

    it('keeps a slow endpoint within its share even when its slots alone would go past it', () => {
      const manySlots: AdmissionLimits = { concurrency: 20, queueLimit: 2_000, share: 15, window: 30 };
      expect(admit({ active: 15, queued: 0, attemptMs: 5_000 }, manySlots)).toEqual({ action: 'defer', reason: 'partition_share' });
      expect(admit({ active: 15, queued: 0, attemptMs: 1 }, manySlots)).toEqual({ action: 'start' });
    });

    it('defers a hung endpoint at once, whatever the window', () => {
      // Attempts of 5 s (or one in flight that long): 20 slots × 2 s / 5 s leaves room for 8.
      expect(admit({ active: 20, queued: 8, attemptMs: 5_000 }, windowed)).toEqual({ action: 'defer', reason: 'endpoint_backlog' });
      expect(admit({ active: 20, queued: 1_200, attemptMs: 5_000 }, windowed)).toEqual({ action: 'defer', reason: 'partition_share' });
      expect(admit({ active: 20, queued: 7, attemptMs: 5_000 }, windowed)).toEqual({ action: 'queue' });
    });
  });
});

describe('admission under a rate limit', () => {
  const rate = (tokens: number, deferredAheadMs = 0) => ({ perSecond: 50, tokens, deferredAheadMs });

  it('starts with a token, waits for one due within the bound, and defers beyond it', () => {
    expect(admit({ active: 0, queued: 0, attemptMs: 5, rate: rate(1) }, limits)).toEqual({ action: 'start' });
    expect(admit({ active: 0, queued: 0, attemptMs: 5, rate: rate(0.5) }, limits)).toEqual({ action: 'queue' }); // 10 ms away
    expect(admit({ active: 0, queued: 99, attemptMs: 5, rate: rate(0) }, limits)).toEqual({ action: 'queue' }); // the 100th token: 2 s
    expect(admit({ active: 0, queued: 100, attemptMs: 5, rate: rate(0) }, limits)).toEqual({ action: 'defer', reason: 'rate_limit' });
  });

  it('puts a fresh request behind those deferred earlier for the rate, but lets those back in', () => {
    const behind = { active: 0, queued: 0, attemptMs: 5, rate: rate(1, 5_000) };
    expect(admit(behind, limits)).toEqual({ action: 'defer', reason: 'rate_limit' });
    expect(admit(behind, limits, true)).toEqual({ action: 'start' });
    expect(admit({ ...behind, rate: rate(1, MAX_QUEUE_WAIT_MS) }, limits)).toEqual({ action: 'start' }); // due within the bound: no reorder worth a deferral
  });

  it('still holds the partition share and the slots first', () => {
    expect(admit({ active: 20, queued: 980, attemptMs: 1, rate: rate(50) }, limits)).toEqual({ action: 'defer', reason: 'partition_share' });
    expect(admit({ active: 20, queued: 0, attemptMs: 5, rate: rate(50) }, limits)).toEqual({ action: 'queue' });
    expect(admit({ active: 20, queued: 0, attemptMs: 30_000, rate: rate(50) }, { ...limits, concurrency: 20 })).toEqual({ action: 'queue' });
    expect(admit({ active: 20, queued: 1, attemptMs: 30_000, rate: rate(50) }, limits)).toEqual({ action: 'defer', reason: 'endpoint_backlog' });
  });

  it('gives room for what gets a token within the bound', () => {
    expect(queueRoom({ attemptMs: 5, rate: rate(0) }, limits)).toBe(100);
    expect(queueRoom({ attemptMs: 5, rate: rate(10.5) }, limits)).toBe(110);
    expect(queueRoom({ attemptMs: 5, rate: { perSecond: 0.1, tokens: 0, deferredAheadMs: 0 } }, limits)).toBe(0);
    expect(queueRoom({ attemptMs: 1_000, rate: rate(0) }, limits)).toBe(40); // the slots bind first
  });

  it('never queues a request whose token is further than the bound', () => {
    fc.assert(
      fc.property(
        fc.nat(500),
        fc.double({ min: 0.01, max: 10_000, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.boolean(),
        (queued, perSecond, tokens, deferredBefore) => {
          const load = { active: 0, queued, attemptMs: 1, rate: { perSecond, tokens, deferredAheadMs: 0 } };
          const decision = admit(load, { concurrency: 1_000, queueLimit: 100_000, share: 100_000 }, deferredBefore);
          const wait = rateWaitMs(load);
          if (decision.action === 'defer') return decision.reason === 'rate_limit' && wait > MAX_QUEUE_WAIT_MS;
          return wait <= MAX_QUEUE_WAIT_MS && (decision.action === 'queue' || wait === 0);
        },
      ),
    );
  });
});

describe(rateDeferral.name, () => {
  it('brings a deferred request back shortly before its token, and the next one a token later', () => {
    const first = rateDeferral({ queued: 100, rate: { perSecond: 50, tokens: 0, deferredAheadMs: 0 } });
    expect(first).toEqual({ delayMs: 2_020 - RATE_DEFERRAL_LEAD_MS, deferredAheadMs: 2_040 });
    const second = rateDeferral({ queued: 100, rate: { perSecond: 50, tokens: 0, deferredAheadMs: first.deferredAheadMs } });
    expect(second).toEqual({ delayMs: 2_040 - RATE_DEFERRAL_LEAD_MS, deferredAheadMs: 2_060 });
  });

  it('spaces a burst of deferrals one token apart, so they come back at the rate and in order', () => {
    let ahead = 0;
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      const d = rateDeferral({ queued: 10, rate: { perSecond: 0.5, tokens: 0, deferredAheadMs: ahead } });
      delays.push(d.delayMs);
      ahead = d.deferredAheadMs;
    }
    expect(delays).toEqual([21_000, 23_000, 25_000, 27_000, 29_000]);
  });
});

describe(deferralDelayMs.name, () => {
  const hung = { held: 21, attemptMs: 3_000, concurrency: 20 };

  it('waits until the endpoint can plausibly drain what it holds: held × attempt time / concurrency', () => {
    expect(deferralDelayMs(hung, 0, () => 0.5)).toBe(3_150);
    expect(deferralDelayMs({ held: 200, attemptMs: 50, concurrency: 20 }, 0, () => 0.5)).toBe(DEFERRAL_MIN_MS); // 0.5 s to drain: the minimum
  });

  it('doubles with each earlier deferral of the same request, up to the cap', () => {
    const delays = [0, 1, 2, 3, 4].map((n) => deferralDelayMs(hung, n, () => 0.5));
    expect(delays).toEqual([3_150, 6_300, 12_600, 25_200, 50_400]);
    expect(deferralDelayMs(hung, 5, () => 0.5)).toBe(DEFERRAL_MAX_MS);
    expect(deferralDelayMs(hung, 1_000, () => 0.5)).toBe(DEFERRAL_MAX_MS);
  });

  it('spreads by ±20 %', () => {
    expect(deferralDelayMs(hung, 0, () => 0)).toBe(2_520);
    expect(deferralDelayMs(hung, 0, () => 0.999999)).toBe(3_780);
  });

  it('stays within [min, max], whole milliseconds, and never shrinks with more deferrals at the same draw', () => {
    fc.assert(
      fc.property(
        fc.nat(10_000),
        fc.nat(60_000),
        fc.integer({ min: 1, max: 1_000 }),
        fc.nat(50),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (held, attemptMs, concurrency, deferrals, r) => {
          const endpoint = { held, attemptMs, concurrency };
          const delay = deferralDelayMs(endpoint, deferrals, () => r);
          return Number.isInteger(delay) && delay >= DEFERRAL_MIN_MS && delay <= DEFERRAL_MAX_MS && deferralDelayMs(endpoint, deferrals + 1, () => r) >= delay;
        },
      ),
    );
  });
});
