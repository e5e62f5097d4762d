import { DEFAULT_EXHAUSTED_EVENT_INTERVAL_MS, loadRetrySchedulerConfig } from './retry-scheduler.config';

describe('retry-scheduler configuration', () => {
  const base = { KAFKA_BROKERS: '127.0.0.1:9092', DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db' };

  it('reads HOOKLINE_EXHAUSTED_EVENT_INTERVAL as a duration, 5 minutes when unset', () => {
    expect(loadRetrySchedulerConfig(base).HOOKLINE_EXHAUSTED_EVENT_INTERVAL).toBe(DEFAULT_EXHAUSTED_EVENT_INTERVAL_MS);
    expect(DEFAULT_EXHAUSTED_EVENT_INTERVAL_MS).toBe(300_000);
    expect(loadRetrySchedulerConfig({ ...base, HOOKLINE_EXHAUSTED_EVENT_INTERVAL: '15s' }).HOOKLINE_EXHAUSTED_EVENT_INTERVAL).toBe(15_000);
    expect(loadRetrySchedulerConfig({ ...base, HOOKLINE_EXHAUSTED_EVENT_INTERVAL: '24h' }).HOOKLINE_EXHAUSTED_EVENT_INTERVAL).toBe(86_400_000);
  });

  it.each(['soon', '500ms', '25h', '-1m'])('refuses %s, naming the variable and the rule', (value) => {
    expect(() => loadRetrySchedulerConfig({ ...base, HOOKLINE_EXHAUSTED_EVENT_INTERVAL: value })).toThrow(
      /HOOKLINE_EXHAUSTED_EVENT_INTERVAL.*must be a duration from 1s to 24h/,
    );
  });
});
