import pino from 'pino';
import { PeriodicJobRunner, type JobResult } from './periodic-job-runner';

/** A job whose runs end when the test says so. */
function scriptedJob() {
  const ends: ((result: JobResult | Error) => void)[] = [];
  let running = 0;
  let maxRunning = 0;
  const run = () =>
    new Promise<JobResult>((resolve, reject) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      ends.push((result) => {
        running--;
        if (result instanceof Error) reject(result);
        else resolve(result);
      });
    });
  return {
    run,
    ends,
    get started() {
      return ends.length;
    },
    get maxRunning() {
      return maxRunning;
    },
  };
}

const flush = () => jest.advanceTimersByTimeAsync(0);

describe(PeriodicJobRunner.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs at start, then the interval after each run ends, never two at once', async () => {
    const job = scriptedJob();
    const runner = new PeriodicJobRunner({ name: 't', intervalMs: 1_000, run: job.run, logger: pino({ level: 'silent' }) });
    runner.start();
    await flush();
    expect(job.started).toBe(1);
    await jest.advanceTimersByTimeAsync(5_000); // a slow run: no second one meanwhile
    expect(job.started).toBe(1);
    job.ends[0]();
    await jest.advanceTimersByTimeAsync(999);
    expect(job.started).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(job.started).toBe(2);
    expect(job.maxRunning).toBe(1);
    job.ends[1]();
    await runner.stop();
  });

  it('runs again at once when a run says there is more', async () => {
    const job = scriptedJob();
    const runner = new PeriodicJobRunner({ name: 't', intervalMs: 60_000, run: job.run, logger: pino({ level: 'silent' }) });
    runner.start();
    await flush();
    job.ends[0]({ more: true });
    await flush();
    expect(job.started).toBe(2);
    job.ends[1]({ more: false });
    await flush();
    expect(job.started).toBe(2);
    await runner.stop();
  });

  it('logs a failed run and tries again after the interval', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => void lines.push(line) });
    const job = scriptedJob();
    const runner = new PeriodicJobRunner({ name: 'purge', intervalMs: 1_000, run: job.run, logger });
    runner.start();
    await flush();
    job.ends[0](new Error('database down'));
    await flush();
    expect(lines.map((l) => JSON.parse(l) as { job: string; msg: string; err: { message: string } })).toEqual([
      expect.objectContaining({ job: 'purge', err: expect.objectContaining({ message: 'database down' }) }),
    ]);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(job.started).toBe(2);
    job.ends[1]();
    await runner.stop();
  });

  it('stops: waits for the run in progress and starts no other', async () => {
    const job = scriptedJob();
    const runner = new PeriodicJobRunner({ name: 't', intervalMs: 10, run: job.run, logger: pino({ level: 'silent' }) });
    runner.start();
    await flush();
    let stopped = false;
    const stopping = runner.stop().then(() => (stopped = true));
    await flush();
    expect(stopped).toBe(false);
    job.ends[0]();
    await stopping;
    await jest.advanceTimersByTimeAsync(1_000);
    expect(job.started).toBe(1);
  });

  it('does not keep the process alive while it waits', async () => {
    const job = scriptedJob();
    const runner = new PeriodicJobRunner({ name: 't', intervalMs: 1_000, run: job.run, logger: pino({ level: 'silent' }) });
    const unref = jest.spyOn(global, 'setTimeout');
    runner.start();
    const timer = unref.mock.results[0].value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    unref.mockRestore();
    await flush();
    job.ends[0]();
    await runner.stop();
  });
});
