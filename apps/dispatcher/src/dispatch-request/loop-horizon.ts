import type { Horizon, Timers } from './endpoint-limiter';

/** How often the horizon moves while attempts are in flight: the slack in judging an endpoint's speed. */
export const HORIZON_TICK_MS = 20;

/**
 * Until when the dispatcher has certainly taken in every answer that had
 * reached it. An attempt still running at that moment had no answer yet, so
 * its time up to then is the endpoint's own; whatever came after may be the
 * dispatcher's own delay (admitting a fetch of thousands of requests keeps the
 * event loop busy for a while, and answers that arrive meanwhile wait). Judged
 * by the clock alone, every endpoint looks slow while the dispatcher is busy,
 * and a healthy endpoint's burst is deferred for the dispatcher's own delay.
 *
 * A timer ticks while attempts are in flight (`enter` / `leave`), none when
 * idle. Timers fire before the loop polls for I/O, so between two ticks the
 * loop has polled at least once: at a tick, every answer that had arrived by
 * the tick before it has been read. That earlier tick is the horizon.
 */
export class LoopHorizon implements Horizon {
  private inFlight = 0;
  private timer: unknown;
  private previousTick = 0;
  private lastTick = 0;

  constructor(
    private readonly now: () => number,
    private readonly timers: Timers,
    private readonly tickMs = HORIZON_TICK_MS,
  ) {}

  /** An attempt starts. */
  enter(): void {
    if (this.inFlight++ > 0) return;
    this.previousTick = this.lastTick = this.now();
    this.arm();
  }

  /** An attempt ended. */
  leave(): void {
    if (--this.inFlight > 0) return;
    this.inFlight = 0;
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = undefined;
  }

  /** Every answer that had arrived by this time has been read (now, with nothing in flight). */
  heardUpTo(): number {
    return this.inFlight === 0 ? this.now() : this.previousTick;
  }

  private arm(): void {
    this.timer = this.timers.set(() => {
      this.previousTick = this.lastTick;
      this.lastTick = this.now();
      this.arm();
    }, this.tickMs);
  }
}
