import pino from 'pino';
import { ApplyRetention, type RetentionStore } from './apply-retention.usecase';

class FakeStore implements RetentionStore {
  readonly asked: number[] = [];
  constructor(private readonly removed: number | Error) {}
  async purgeOlderThan(days: number): Promise<number> {
    this.asked.push(days);
    if (this.removed instanceof Error) throw this.removed;
    return this.removed;
  }
}

describe(ApplyRetention.name, () => {
  it('purges what is older than the configured days and says how much', async () => {
    const store = new FakeStore(42);
    expect(await new ApplyRetention(store, 30, pino({ level: 'silent' })).execute()).toBe(42);
    expect(store.asked).toEqual([30]);
  });

  it('lets a failure through, for the job to log and count', async () => {
    await expect(new ApplyRetention(new FakeStore(new Error('database down')), 7, pino({ level: 'silent' })).execute()).rejects.toThrow('database down');
  });
});
