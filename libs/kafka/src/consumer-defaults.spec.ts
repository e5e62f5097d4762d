import { handlerBackoffMs, retryWhile } from './consumer-defaults';

describe(handlerBackoffMs.name, () => {
  it('doubles from 200 ms and stays at 5 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50].map(handlerBackoffMs)).toEqual([200, 400, 800, 1600, 3200, 5000, 5000, 5000]);
  });
});

describe(retryWhile.name, () => {
  const noSleep = async () => undefined;

  it('retries until the work succeeds, reporting each failure with its backoff', async () => {
    let calls = 0;
    const reported: [number, number][] = [];
    const result = await retryWhile(
      async () => {
        if (++calls < 4) throw new Error(`fail ${calls}`);
        return 'done';
      },
      () => true,
      (_e, attempt, ms) => reported.push([attempt, ms]),
      noSleep,
    );
    expect(result).toBe('done');
    expect(reported).toEqual([
      [1, 200],
      [2, 400],
      [3, 800],
    ]);
  });

  it('gives up with the last error once it should stop trying (a lost partition, a stop)', async () => {
    let owned = true;
    let calls = 0;
    const run = retryWhile(
      async () => {
        calls++;
        throw new Error(`fail ${calls}`);
      },
      () => owned,
      () => undefined,
      async () => {
        if (calls === 3) owned = false;
      },
    );
    await expect(run).rejects.toThrow('fail 3');
    expect(calls).toBe(3);
  });

  it('does not retry at all when it should not be trying', async () => {
    let calls = 0;
    await expect(
      retryWhile(
        async () => {
          calls++;
          throw new Error('no');
        },
        () => false,
        () => undefined,
        noSleep,
      ),
    ).rejects.toThrow('no');
    expect(calls).toBe(1);
  });
});
