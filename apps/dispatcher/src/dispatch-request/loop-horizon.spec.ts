import type { Timers } from './endpoint-limiter';
import { HORIZON_TICK_MS, LoopHorizon } from './loop-horizon';

/** Timers fired by hand at whatever time the test sets, so a busy loop (a tick firing late) can be played. */
class HandTimers implements Timers {
  now = 0;
  armed: { fire: () => void; ms: number }[] = [];
  set(fire: () => void, ms: number): unknown {
    const timer = { fire, ms };
    this.armed.push(timer);
    return timer;
  }
  clear(handle: unknown): void {
    this.armed = this.armed.filter((t) => t !== handle);
  }
  /** The loop reaches its timers at `at`. */
  tickAt(at: number): void {
    this.now = at;
    const due = this.armed.splice(0);
    due.forEach((t) => t.fire());
  }
}

describe(LoopHorizon.name, () => {
  it('is now while nothing is in flight, and arms no timer', () => {
    const timers = new HandTimers();
    const horizon = new LoopHorizon(() => timers.now, timers);
    timers.now = 1_234;
    expect(horizon.heardUpTo()).toBe(1_234);
    expect(timers.armed).toHaveLength(0);
  });

  it('trails by one tick while the loop turns freely: at each tick, every answer that arrived by the tick before has been read', () => {
    const timers = new HandTimers();
    const horizon = new LoopHorizon(() => timers.now, timers);
    timers.now = 100;
    horizon.enter();
    expect(timers.armed.map((t) => t.ms)).toEqual([HORIZON_TICK_MS]);
    timers.now = 115;
    expect(horizon.heardUpTo()).toBe(100);
    timers.tickAt(120);
    expect(horizon.heardUpTo()).toBe(100);
    timers.tickAt(140);
    expect(horizon.heardUpTo()).toBe(120);
    timers.tickAt(160);
    timers.now = 170;
    expect(horizon.heardUpTo()).toBe(140);
  });

  it('stands still while the loop is busy, however much time passes, and moves on once it turns again', () => {
    const timers = new HandTimers();
    const horizon = new LoopHorizon(() => timers.now, timers);
    horizon.enter();
    timers.tickAt(20);
    timers.tickAt(40);
    // The loop is busy from 40 to 640 (admitting a large fetch): no tick fires.
    timers.now = 640;
    expect(horizon.heardUpTo()).toBe(20);
    // The late tick at 640 proves the loop polled after 40 only: answers that came between 40 and 640 may still be unread.
    timers.tickAt(640);
    expect(horizon.heardUpTo()).toBe(40);
    timers.tickAt(660);
    expect(horizon.heardUpTo()).toBe(640);
  });

  it('stops ticking when the last attempt ends, and starts afresh with the next', () => {
    const timers = new HandTimers();
    const horizon = new LoopHorizon(() => timers.now, timers);
    horizon.enter();
    horizon.enter();
    timers.tickAt(20);
    horizon.leave();
    expect(timers.armed).toHaveLength(1);
    horizon.leave();
    expect(timers.armed).toHaveLength(0);
    timers.now = 5_000;
    expect(horizon.heardUpTo()).toBe(5_000);
    horizon.enter();
    expect(horizon.heardUpTo()).toBe(5_000);
    expect(timers.armed).toHaveLength(1);
  });
});
