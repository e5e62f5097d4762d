import { HandBack } from '@hookline/kafka';
import type { EndpointLoad } from '@hookline/retry-policy';

/** Thrown to a waiting request when the dispatcher stops: it was never attempted, so its offset must not be committed. */
export class AbandonedError extends HandBack {
  constructor() {
    super('the dispatcher is stopping: a request still waiting for its endpoint was handed back uncommitted');
  }
}

/** How much one completed attempt moves the endpoint's expected attempt time: recent attempts dominate within a few. */
const SMOOTHING = 0.3;
/** How long an idle endpoint's observed speed is remembered (a hung endpoint stays known as hung between waves). */
const SPEED_MEMORY_MS = 10 * 60_000;

interface Waiting {
  start: () => void;
  shed: () => void;
  abandon: () => void;
}

interface Lane {
  active: number;
  queue: Waiting[];
  /** Start times of the attempts in flight, oldest first. */
  started: Map<object, number>;
}

/**
 * Caps the requests in flight per endpoint and queues the rest, so one
 * endpoint cannot take all sockets, and a slow one only slows itself. It also
 * learns each endpoint's speed, so the dispatcher can tell how long a new
 * request would wait (`load`), and it gives waiting requests back when that
 * wait has become too long (`shed`) or the dispatcher stops (`abandon`).
 */
export class EndpointLimiter {
  private readonly lanes = new Map<string, Lane>();
  private readonly speeds = new Map<string, { attemptMs: number; seenAt: number }>();
  private abandoned = false;

  constructor(
    private readonly concurrency: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * What the endpoint holds, and its expected attempt time: the smoothed
   * duration of its recent attempts, raised to the age of the youngest attempt
   * still running (every attempt in flight has taken at least that long). The
   * raise is what reveals an endpoint that has just started to hang, before any
   * of its attempts has ended.
   */
  load(key: string): EndpointLoad {
    const lane = this.lanes.get(key);
    const observed = this.speeds.get(key)?.attemptMs ?? 0;
    if (!lane) return { active: 0, queued: 0, attemptMs: observed };
    let youngest = -1;
    for (const startedAt of lane.started.values()) youngest = startedAt; // insertion order: the last is the youngest
    const running = youngest < 0 ? 0 : this.now() - youngest;
    return { active: lane.active, queued: lane.queue.length, attemptMs: Math.max(observed, running) };
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
   * Runs `work` when the endpoint has a free slot, in arrival order. Resolves
   * `{ ran: false }` when the request was shed while waiting (the caller
   * defers it); rejects with `AbandonedError` when the limiter was abandoned.
   */
  async run<T>(key: string, work: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
    if (this.abandoned) throw new AbandonedError();
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { active: 0, queue: [], started: new Map() };
      this.lanes.set(key, lane);
    }
    if (lane.active >= this.concurrency) {
      const current = lane;
      const turn = await new Promise<'start' | 'shed'>((resolve, reject) =>
        current.queue.push({ start: () => resolve('start'), shed: () => resolve('shed'), abandon: () => reject(new AbandonedError()) }),
      );
      if (turn === 'shed') {
        this.dropIfIdle(key, current);
        return { ran: false };
      }
    } else lane.active++;
    const task = {};
    const startedAt = this.now();
    lane.started.set(task, startedAt);
    try {
      return { ran: true, value: await work() };
    } finally {
      lane.started.delete(task);
      const previous = this.speeds.get(key)?.attemptMs;
      const took = this.now() - startedAt;
      this.speeds.set(key, { attemptMs: previous === undefined ? took : previous + SMOOTHING * (took - previous), seenAt: this.now() });
      // The freed slot passes straight to the next waiting request, so `active` stays as it is.
      const next = lane.queue.shift();
      if (next) next.start();
      else lane.active--;
      this.dropIfIdle(key, lane);
    }
  }

  /**
   * Gives back the newest waiting requests of each endpoint (of `keys`, or of
   * all) beyond what `room` says may wait now; each resolves `{ ran: false }`.
   * The oldest keep their place. Also forgets speeds not seen for long.
   */
  shed(room: (key: string, load: EndpointLoad) => number, keys: Iterable<string> = this.lanes.keys()): number {
    let shed = 0;
    for (const key of [...keys]) {
      const lane = this.lanes.get(key);
      if (!lane || lane.queue.length === 0) continue;
      const keep = Math.max(0, room(key, this.load(key)));
      for (const waiting of lane.queue.splice(keep)) {
        waiting.shed();
        shed++;
      }
    }
    const forgetBefore = this.now() - SPEED_MEMORY_MS;
    for (const [key, speed] of this.speeds) if (speed.seenAt < forgetBefore && !this.lanes.has(key)) this.speeds.delete(key);
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
      for (const waiting of lane.queue.splice(0)) {
        waiting.abandon();
        abandoned++;
      }
    }
    return abandoned;
  }

  private dropIfIdle(key: string, lane: Lane): void {
    if (lane.active === 0 && lane.queue.length === 0 && this.lanes.get(key) === lane) this.lanes.delete(key);
  }
}
