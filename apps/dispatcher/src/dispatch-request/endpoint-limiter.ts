import type { EndpointRateLimit } from '@hookline/contracts';
import { HandBack } from '@hookline/kafka';
import {
  fullBucket,
  MAX_QUEUE_WAIT_MS,
  msUntilTokens,
  rateDeferral,
  rateWaitMs,
  refill,
  relimit,
  type EndpointLoad,
  type TokenBucket,
} from '@hookline/retry-policy';

/** Thrown to a waiting request when the dispatcher stops: it was never attempted, so its offset must not be committed. */
export class AbandonedError extends HandBack {
  constructor() {
    super('the dispatcher is stopping: a request still waiting for its endpoint was handed back uncommitted');
  }
}

/** An endpoint's own limits, as its config carries them (null: none of its own). */
export interface EndpointLimits {
  maxInFlight: number | null;
  rateLimit: EndpointRateLimit | null;
}

/** Wakes a lane whose next request waits for a token; one timer per endpoint, only while it has such a request. */
export interface Timers {
  set(fire: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

/**
 * Until when the dispatcher has read every answer that had reached it
 * (`LoopHorizon`); `enter` / `leave` bracket each attempt. Time after that is
 * not held against an endpoint: it may be the dispatcher's own delay.
 */
export interface Horizon {
  enter(): void;
  leave(): void;
  heardUpTo(): number;
}

/** A loop never busy: everything up to now has been heard (what tests of pure timing assume). */
export const freeLoop = (now: () => number): Horizon => ({ enter: () => undefined, leave: () => undefined, heardUpTo: now });

export const realTimers: Timers = {
  set: (fire, ms) => setTimeout(fire, ms).unref(),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** How much one completed attempt moves the endpoint's expected attempt time: recent attempts dominate within a few. */
const SMOOTHING = 0.3;
/** How long an idle endpoint's observed speed is remembered (a hung endpoint stays known as hung between waves). */
const SPEED_MEMORY_MS = 10 * 60_000;

interface Waiting {
  /** A test send: not held to the rate limit (an operator waits for its answer). */
  rateExempt: boolean;
  start: () => void;
  shed: (rateDelayMs: number | null) => void;
  abandon: () => void;
}

/** A request not run: shed while it waited; `rateDelayMs` when its token had moved beyond the wait bound (a lowered rate limit): when it should come back. */
export interface NotRun {
  ran: false;
  rateDelayMs: number | null;
}

interface Lane {
  active: number;
  queue: Waiting[];
  /** Start times of the attempts in flight, oldest first. */
  started: Map<object, number>;
  /** Set while the first waiting request has a free slot but no token yet. */
  timer?: unknown;
}

interface Rate {
  limit: EndpointRateLimit;
  bucket: TokenBucket;
  /** When the requests this dispatcher deferred for the rate are expected to have started (`rateDeferral`). */
  deferredUntil: number;
}

/**
 * Caps the requests in flight per endpoint and queues the rest, so one
 * endpoint cannot take all sockets, and a slow one only slows itself. Under an
 * endpoint's rate limit, each start also takes a token of its bucket, and
 * requests wait in line for theirs. It also learns each endpoint's speed, so
 * the dispatcher can tell how long a new request would wait (`load`), and it
 * gives waiting requests back when that wait has become too long (`shed`) or
 * the dispatcher stops (`abandon`).
 */
export class EndpointLimiter {
  private readonly lanes = new Map<string, Lane>();
  private readonly speeds = new Map<string, { attemptMs: number; seenAt: number }>();
  /** Endpoints whose cap is below the dispatcher's. */
  private readonly caps = new Map<string, number>();
  private readonly rates = new Map<string, Rate>();
  private abandoned = false;

  constructor(
    private readonly concurrency: number,
    private readonly now: () => number = Date.now,
    private readonly timers: Timers = realTimers,
    private readonly horizon: Horizon = freeLoop(now),
  ) {}

  /**
   * Applies an endpoint's limits as its config says now, before each of its
   * requests: a cap within the dispatcher's own, and a rate limit set, changed
   * (the bucket keeps what it holds, within the new burst) or cleared. Waiting
   * requests a raised cap or a lifted limit lets start begin at once.
   */
  configure(key: string, limits: EndpointLimits): void {
    const cap = Math.min(this.concurrency, limits.maxInFlight ?? this.concurrency);
    if (cap < this.concurrency) this.caps.set(key, cap);
    else this.caps.delete(key);
    const now = this.now();
    const rate = this.rates.get(key);
    const next = limits.rateLimit;
    if (!next) this.rates.delete(key);
    else if (!rate) this.rates.set(key, { limit: next, bucket: fullBucket(next, now), deferredUntil: now });
    else if (rate.limit.perSecond !== next.perSecond || rate.limit.burst !== next.burst) {
      rate.bucket = relimit(rate.bucket, rate.limit, next, now);
      // As many requests are still due back; at the new rate they take that much less (or more) time.
      rate.deferredUntil = now + (Math.max(0, rate.deferredUntil - now) * rate.limit.perSecond) / next.perSecond;
      rate.limit = next;
    }
    const lane = this.lanes.get(key);
    if (lane) this.pump(key, lane);
  }

  /** The endpoint's cap on requests in flight: its own `maxInFlight` within the dispatcher's. */
  concurrencyOf(key: string): number {
    return this.caps.get(key) ?? this.concurrency;
  }

  /**
   * What the endpoint holds, and its expected attempt time: the smoothed
   * duration of its recent attempts, raised to the age of the youngest attempt
   * still running (every attempt in flight has taken at least that long). The
   * raise is what reveals an endpoint that has just started to hang, before any
   * of its attempts has ended. Both count only time up to the horizon: an
   * answer may have waited for the dispatcher after it, which says nothing of
   * the endpoint. With a rate limit (unless `rateExempt`), its bucket and how
   * far ahead the requests deferred for it reach.
   */
  load(key: string, rateExempt = false): EndpointLoad {
    const lane = this.lanes.get(key);
    const observed = this.speeds.get(key)?.attemptMs ?? 0;
    const rate = rateExempt ? undefined : this.rateNow(key);
    const limited = rate
      ? { rate: { perSecond: rate.limit.perSecond, tokens: rate.bucket.tokens, deferredAheadMs: Math.max(0, rate.deferredUntil - this.now()) } }
      : {};
    if (!lane) return { active: 0, queued: 0, attemptMs: observed, ...limited };
    let youngest = -1;
    for (const startedAt of lane.started.values()) youngest = startedAt; // insertion order: the last is the youngest
    const running = youngest < 0 ? 0 : Math.max(0, this.horizon.heardUpTo() - youngest);
    return { active: lane.active, queued: lane.queue.length, attemptMs: Math.max(observed, running), ...limited };
  }

  /**
   * A request deferred for the endpoint's rate limit: how long until it
   * should come back (shortly before its token), counting it among those due
   * back so the next one deferred comes a token later.
   */
  deferForRate(key: string): number {
    const rate = this.rateNow(key);
    if (!rate) return 0;
    const load = this.load(key);
    const deferral = rateDeferral({ queued: load.queued, rate: load.rate! });
    rate.deferredUntil = this.now() + deferral.deferredAheadMs;
    return deferral.delayMs;
  }

  /** Totals over every endpoint, for the dispatcher's gauges. */
  totals(): { active: number; queued: number; backlogged: number } {
    let active = 0;
    let queued = 0;
    let backlogged = 0;
    for (const lane of this.lanes.values()) {
      active += lane.active;
      queued += lane.queue.length;
      if (lane.queue.length > 0) backlogged++;
    }
    return { active, queued, backlogged };
  }

  /**
   * Runs `work` when the endpoint has a free slot (and, under a rate limit,
   * a token), in arrival order. Resolves `{ ran: false }` when the request was
   * shed while waiting (the caller defers it); rejects with `AbandonedError`
   * when the limiter was abandoned.
   */
  async run<T>(key: string, work: () => Promise<T>, options: { rateExempt?: boolean } = {}): Promise<{ ran: true; value: T } | NotRun> {
    if (this.abandoned) throw new AbandonedError();
    const rateExempt = options.rateExempt ?? false;
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { active: 0, queue: [], started: new Map() };
      this.lanes.set(key, lane);
    }
    if (lane.queue.length === 0 && lane.active < this.concurrencyOf(key) && (rateExempt || this.takeToken(key))) lane.active++;
    else {
      const current = lane;
      const turn = await new Promise<NotRun | 'start'>((resolve, reject) => {
        current.queue.push({
          rateExempt,
          start: () => resolve('start'),
          shed: (rateDelayMs) => resolve({ ran: false, rateDelayMs }),
          abandon: () => reject(new AbandonedError()),
        });
        this.pump(key, current);
      });
      if (turn !== 'start') {
        this.dropIfIdle(key, current);
        return turn;
      }
    }
    const task = {};
    const startedAt = this.now();
    lane.started.set(task, startedAt);
    this.horizon.enter();
    try {
      return { ran: true, value: await work() };
    } finally {
      lane.started.delete(task);
      const previous = this.speeds.get(key)?.attemptMs;
      // Its answer was not read by the horizon, so it came after it: the endpoint took at least this long.
      const took = Math.max(0, this.horizon.heardUpTo() - startedAt);
      this.horizon.leave();
      this.speeds.set(key, { attemptMs: previous === undefined ? took : previous + SMOOTHING * (took - previous), seenAt: this.now() });
      lane.active--;
      this.pump(key, lane);
      this.dropIfIdle(key, lane);
    }
  }

  /**
   * Gives back the newest waiting requests of each endpoint (of `keys`, or of
   * all) beyond what `room` says may wait now; each resolves `{ ran: false }`.
   * The oldest keep their place. One given back because its token is now out
   * of reach takes its place among those deferred for the rate here, in
   * line order, before any later request can. Over all endpoints, it also
   * forgets what idle ones no longer need: speeds not seen for long, full buckets.
   */
  shed(room: (key: string, load: EndpointLoad) => number, keys?: Iterable<string>): number {
    let shed = 0;
    for (const key of [...(keys ?? this.lanes.keys())]) {
      const lane = this.lanes.get(key);
      if (!lane || lane.queue.length === 0) continue;
      const keep = Math.max(0, room(key, this.load(key)));
      for (const waiting of lane.queue.splice(keep)) {
        const load = this.load(key, waiting.rateExempt);
        waiting.shed(load.rate && rateWaitMs(load) > MAX_QUEUE_WAIT_MS ? this.deferForRate(key) : null);
        shed++;
      }
      if (lane.queue.length === 0) this.stopTimer(lane);
    }
    if (keys === undefined) this.forgetIdle();
    return shed;
  }

  /**
   * At stop: every waiting request is rejected at once (never attempted, its
   * offset stays uncommitted for the partition's next owner) and new ones are
   * refused; attempts in flight go on to their end. Returns how many were waiting.
   */
  abandon(): number {
    this.abandoned = true;
    let abandoned = 0;
    for (const lane of this.lanes.values()) {
      this.stopTimer(lane);
      for (const waiting of lane.queue.splice(0)) {
        waiting.abandon();
        abandoned++;
      }
    }
    return abandoned;
  }

  /** Starts waiting requests while the endpoint has free slots and tokens; when only a token is missing, wakes up when it is due. */
  private pump(key: string, lane: Lane): void {
    this.stopTimer(lane);
    while (lane.queue.length > 0 && lane.active < this.concurrencyOf(key)) {
      const next = lane.queue[0];
      if (!next.rateExempt && !this.takeToken(key)) {
        const rate = this.rateNow(key)!;
        // Rounded up, so the token is there when the timer fires.
        lane.timer = this.timers.set(
          () => {
            lane.timer = undefined;
            if (this.lanes.get(key) === lane) this.pump(key, lane);
          },
          Math.max(1, Math.ceil(msUntilTokens(rate.bucket, rate.limit))),
        );
        return;
      }
      lane.queue.shift();
      lane.active++;
      next.start();
    }
  }

  /** Takes a token of the endpoint's bucket if it has one now (always, without a rate limit). */
  private takeToken(key: string): boolean {
    const rate = this.rateNow(key);
    if (!rate) return true;
    if (rate.bucket.tokens < 1) return false;
    rate.bucket = { ...rate.bucket, tokens: rate.bucket.tokens - 1 };
    return true;
  }

  /** The endpoint's rate state with its bucket refilled to now. */
  private rateNow(key: string): Rate | undefined {
    const rate = this.rates.get(key);
    if (rate) rate.bucket = refill(rate.bucket, rate.limit, this.now());
    return rate;
  }

  private stopTimer(lane: Lane): void {
    if (lane.timer === undefined) return;
    this.timers.clear(lane.timer);
    lane.timer = undefined;
  }

  /**
   * A full bucket with nothing due back is what a new one would be, and an
   * endpoint's cap and limits are applied again before each of its requests,
   * so only idle endpoints' speeds are worth remembering (for a while).
   */
  private forgetIdle(): void {
    const now = this.now();
    const forgetBefore = now - SPEED_MEMORY_MS;
    for (const [key, speed] of this.speeds) if (speed.seenAt < forgetBefore && !this.lanes.has(key)) this.speeds.delete(key);
    for (const key of this.rates.keys()) {
      const rate = this.rateNow(key)!;
      if (!this.lanes.has(key) && rate.bucket.tokens >= rate.limit.burst && rate.deferredUntil <= now) this.rates.delete(key);
    }
    for (const key of this.caps.keys()) if (!this.lanes.has(key)) this.caps.delete(key);
  }

  private dropIfIdle(key: string, lane: Lane): void {
    if (lane.active === 0 && lane.queue.length === 0 && this.lanes.get(key) === lane) {
      this.stopTimer(lane);
      this.lanes.delete(key);
    }
  }
}
