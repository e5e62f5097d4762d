import type { Receipt } from './receiver';
import { percentile, recoverySeconds, tally } from './tally';

const receipt = (over: Partial<Receipt>): Receipt => ({
  path: '/a',
  webhookId: 'evt_1',
  deliveryId: 'd1',
  key: 'k1',
  at: 0,
  sentAt: 0,
  validSignature: true,
  status: 200,
  ...over,
});

describe('tally', () => {
  const expected = [
    { path: '/a', key: 'k1', eventId: 'evt_1' },
    { path: '/b', key: 'k1', eventId: 'evt_1' },
    { path: '/a', key: 'k2', eventId: 'evt_2' },
  ];

  it('counts a pair once, its repeats under the same ids, and what never came', () => {
    const t = tally(expected, [receipt({}), receipt({}), receipt({ path: '/b' })]);
    expect(t).toMatchObject({ delivered: 2, lost: 1, repeatedSameId: 1, repeatedDifferentId: 0, invalidSignatures: 0, unexpected: 0 });
  });

  it('does not count a failed answer as a delivery, but holds its ids to the same rule', () => {
    const t = tally(expected, [receipt({ status: 500 }), receipt({ status: 500, deliveryId: 'other' }), receipt({})]);
    expect(t).toMatchObject({ delivered: 1, repeatedSameId: 0, repeatedDifferentId: 1 });
  });

  it('counts a pair received under another webhook-id, or under an id it was not sent with', () => {
    expect(tally(expected, [receipt({}), receipt({ webhookId: 'evt_x' })]).repeatedDifferentId).toBe(1);
    expect(tally(expected, [receipt({ key: 'k2', webhookId: 'evt_1' })]).repeatedDifferentId).toBe(1);
  });

  it('counts bad signatures apart, never as deliveries, and deliveries nobody expected', () => {
    const t = tally(expected, [receipt({ validSignature: false }), receipt({ key: 'poison' })]);
    expect(t).toMatchObject({ delivered: 0, lost: 3, invalidSignatures: 1, unexpected: 1 });
  });
});

describe('recoverySeconds', () => {
  // 10 deliveries/s before a fault from t=10 s to t=20 s.
  const before = Array.from({ length: 50 }, (_, i) => 5000 + i * 100);

  it('is the time from the fault end until a second holds half the normal rate', () => {
    const after = Array.from({ length: 20 }, (_, i) => 23_000 + i * 100);
    expect(recoverySeconds([...before, 20_500, ...after], { start: 10_000, end: 20_000 }, undefined)).toBe(3.4);
  });

  it('is the last expected delivery when that comes first, and null when nothing flows again', () => {
    expect(recoverySeconds([...before, 21_000], { start: 10_000, end: 20_000 }, 21_000)).toBe(1);
    expect(recoverySeconds(before, { start: 10_000, end: 20_000 }, undefined)).toBeNull();
  });

  it('is the first delivery after the fault when nothing flowed before it', () => {
    expect(recoverySeconds([26_000, 26_100], { start: 10_000, end: 20_000 }, undefined)).toBe(6);
  });
});

describe('percentile', () => {
  it('takes the nearest rank', () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(
      percentile(
        Array.from({ length: 100 }, (_, i) => i + 1),
        99,
      ),
    ).toBe(99);
    expect(percentile([], 99)).toBeNull();
  });
});
