import type { Timers } from './endpoint-limiter';

/** A clock and timers that move only when a test says so; `advance` fires what falls due, in order, letting each settle. */
export class FakeTimers implements Timers {
  now = 0;
  private pending: { at: number; fire: () => void }[] = [];

  readonly clock = (): number => this.now;

  set(fire: () => void, ms: number): unknown {
    const timer = { at: this.now + ms, fire };
    this.pending.push(timer);
    return timer;
  }

  clear(handle: unknown): void {
    this.pending = this.pending.filter((t) => t !== handle);
  }

  get armed(): number {
    return this.pending.length;
  }

  async advance(ms: number): Promise<void> {
    const end = this.now + ms;
    for (;;) {
      await settle();
      const due = this.pending.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.pending = this.pending.filter((t) => t !== due);
      this.now = due.at;
      due.fire();
    }
    this.now = end;
    await settle();
  }
}

/** Lets promise chains started so far run to their next real wait. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}
