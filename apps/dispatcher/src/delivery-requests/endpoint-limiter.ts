/**
 * Caps the requests in flight per endpoint and queues the rest, so one
 * endpoint cannot take all sockets, and a slow one only slows itself.
 */
export class EndpointLimiter {
  private readonly lanes = new Map<string, { active: number; queue: (() => void)[] }>();

  constructor(private readonly concurrency: number) {}

  /** Requests of this endpoint waiting for a free slot. */
  queued(key: string): number {
    return this.lanes.get(key)?.queue.length ?? 0;
  }

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { active: 0, queue: [] };
      this.lanes.set(key, lane);
    }
    if (lane.active >= this.concurrency) await new Promise<void>((resolve) => lane.queue.push(resolve));
    else lane.active++;
    try {
      return await work();
    } finally {
      const next = lane.queue.shift();
      if (next) next();
      else if (--lane.active === 0) this.lanes.delete(key);
    }
  }
}
