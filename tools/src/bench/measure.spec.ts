import { per1000, percentiles, rawLimit } from './measure';

describe('percentiles', () => {
  it('takes the nearest rank: the value at rank ⌈p/100 × n⌉ of the sorted values', () => {
    const values = Array.from({ length: 200 }, (_v, i) => 200 - i); // 200 … 1, unsorted on purpose
    expect(percentiles(values)).toEqual({ p50: 100, p95: 190, p99: 198, max: 200, count: 200 });
  });

  it('gives every percentile of a single value as that value, and nulls for none', () => {
    expect(percentiles([7.25])).toEqual({ p50: 7.3, p95: 7.3, p99: 7.3, max: 7.3, count: 1 });
    expect(percentiles([])).toEqual({ p50: null, p95: null, p99: null, max: null, count: 0 });
  });

  it('sorts numerically, not as text', () => {
    expect(percentiles([9, 10, 100, 1000]).p50).toBe(10);
  });
});

describe('per1000', () => {
  it('is CPU seconds per 1,000 deliveries', () => {
    expect(per1000(7.2, 20_000)).toBe(0.36);
    expect(per1000(1.5, 6_000)).toBe(0.25);
  });

  it('is 0 when nothing was delivered, rather than infinite', () => {
    expect(per1000(3, 0)).toBe(0);
  });
});

describe('rawLimit', () => {
  it('is the mean of the raw runs, with their spread in % of it', () => {
    expect(rawLimit([14_000, 16_000])).toEqual({ requestsPerSecond: 15_000, spreadPercent: 13.3 });
    expect(rawLimit([3445, 3445])).toEqual({ requestsPerSecond: 3445, spreadPercent: 0 });
  });

  it('is 0 without a raw run', () => {
    expect(rawLimit([])).toEqual({ requestsPerSecond: 0, spreadPercent: 0 });
  });
});
