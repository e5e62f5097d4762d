/**
 * Caps the requests in flight per endpoint and queues the rest, so one
 * endpoint cannot take all sockets, and a slow one only slows itself.
 */
export class EndpointLimiter {
  private readonly lanes = new Map<string, { active: number; queue: (() => void)[]; started: Map<object, number> }>();

  constructor(
    private readonly concurrency: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** How long the oldest request in flight to this endpoint has been running (0 when none). */
  oldestActiveMs(key: string): number {
    const lane = this.lanes.get(key);
    if (!lane || lane.started.size === 0) return 0;
    // Maps keep insertion order: the first entry is the oldest still running.
    return this.now() - (lane.started.values().next().value ?? this.now());
  }

  /** Requests of this endpoint waiting for a free slot. */
  queued(key: string): number {
    return this.lanes.get(key)?.queue.length ?? 0;
  }

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { active: 0, queue: [], started: new Map() };
      this.lanes.set(key, lane);
    }
    if (lane.active >= this.concurrency) await new Promise<void>((resolve) => lane.queue.push(resolve));
    else lane.active++;
    const task = {};
    lane.started.set(task, this.now());
    try {
      return await work();
    } finally {
      lane.started.delete(task);
      const next = lane.queue.shift();
      if (next) next();
      else if (--lane.active === 0) this.lanes.delete(key);
    }
  }
}
