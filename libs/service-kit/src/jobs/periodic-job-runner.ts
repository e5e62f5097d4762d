import type { Logger } from 'pino';
import { Counter, Gauge } from 'prom-client';

const runs = new Counter({ name: 'hookline_job_runs_total', help: 'Runs of periodic jobs by result', labelNames: ['job', 'result'] });
const lastSuccess = new Gauge({ name: 'hookline_job_last_success_timestamp_seconds', help: 'When each periodic job last succeeded', labelNames: ['job'] });

/** What a run reports: `{ more: true }` when it stopped at its batch size with work left, so the next run starts at once. */
export type JobResult = void | { more: boolean };

export interface PeriodicJobOptions {
  name: string;
  /** The pause between the end of one run and the start of the next. */
  intervalMs: number;
  run: () => Promise<JobResult>;
  logger: Logger;
}

/**
 * Runs `run` now and then again `intervalMs` after each run ends: never two
 * runs at once, however long one takes. The timer is unref'd (a pending run
 * never keeps the process alive); `stop()` cancels the next run and waits for
 * the current one. A failed run is logged and counted
 * (`hookline_job_runs_total{result="failed"}`) and tried again after the
 * interval.
 */
export class PeriodicJobRunner {
  private timer: NodeJS.Timeout | null = null;
  private current: Promise<void> | null = null;
  private stopped = true;
  private lastSuccessAt: number | null = null;
  private startedAt = 0;

  constructor(private readonly options: PeriodicJobOptions) {}

  /** When the last run succeeded (epoch ms), or when the job started if none has yet. */
  get lastSuccessOrStart(): number {
    return this.lastSuccessAt ?? this.startedAt;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.startedAt = Date.now();
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.current;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.current = this.runOnce().finally(() => (this.current = null));
    }, delayMs);
    this.timer.unref();
  }

  private async runOnce(): Promise<void> {
    let more = false;
    try {
      const result = await this.options.run();
      more = result?.more === true;
      this.lastSuccessAt = Date.now();
      runs.inc({ job: this.options.name, result: 'ok' });
      lastSuccess.set({ job: this.options.name }, this.lastSuccessAt / 1000);
    } catch (err) {
      runs.inc({ job: this.options.name, result: 'failed' });
      this.options.logger.error({ err, job: this.options.name, retryInMs: this.options.intervalMs }, 'periodic job failed; it runs again after its interval');
    }
    this.schedule(more ? 0 : this.options.intervalMs);
  }
}
