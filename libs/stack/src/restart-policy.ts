export interface RestartPolicyOptions {
  /** Wait before the first restart. Default 1 s. */
  initialDelayMs?: number;
  /** The wait doubles with each crash inside the window, up to this. Default 30 s. */
  maxDelayMs?: number;
  /** Crashes further apart than this are forgiven: the backoff starts again from `initialDelayMs`. Default 60 s. */
  windowMs?: number;
  /** This many crashes inside the window and the process is left down (a crash loop only fills the log). Default 5. */
  maxCrashes?: number;
}

export type RestartDecision = { restart: true; delayMs: number; crashes: number } | { restart: false; crashes: number; windowMs: number };

/**
 * When to start again a process that exited on its own: after a delay that
 * doubles with each crash in the last `windowMs` (1 s, 2 s, 4 s, … up to
 * `maxDelayMs`), and not at all once `maxCrashes` crashes fall inside that
 * window. Pure: the caller passes the clock.
 */
export class RestartPolicy {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly windowMs: number;
  readonly maxCrashes: number;
  private crashes: number[] = [];

  constructor(options: RestartPolicyOptions = {}) {
    this.initialDelayMs = options.initialDelayMs ?? 1_000;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.windowMs = options.windowMs ?? 60_000;
    this.maxCrashes = options.maxCrashes ?? 5;
    for (const [name, value] of Object.entries({
      initialDelayMs: this.initialDelayMs,
      maxDelayMs: this.maxDelayMs,
      windowMs: this.windowMs,
      maxCrashes: this.maxCrashes,
    })) {
      if (!Number.isFinite(value) || value < 1) throw new RangeError(`RestartPolicy ${name} must be a number of at least 1 (got ${value})`);
    }
    if (this.maxDelayMs < this.initialDelayMs) throw new RangeError('RestartPolicy maxDelayMs must be at least initialDelayMs');
  }

  /** Records a crash at `now` (ms) and decides. */
  onCrash(now: number): RestartDecision {
    this.crashes = this.crashes.filter((at) => now - at < this.windowMs);
    this.crashes.push(now);
    const crashes = this.crashes.length;
    if (crashes >= this.maxCrashes) return { restart: false, crashes, windowMs: this.windowMs };
    return { restart: true, delayMs: Math.min(this.initialDelayMs * 2 ** (crashes - 1), this.maxDelayMs), crashes };
  }
}
