import type { DeliveryId } from '@hookline/contracts';
import { deliveryIdNumber } from '@hookline/testing';
import { planAlert, type AlertWindow } from './alert-window';

const INTERVAL = 5 * 60_000;
const T0 = new Date('2026-11-22T10:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const d = (n: number) => ({ deliveryId: deliveryIdNumber(n) as DeliveryId });
const none: ReadonlySet<DeliveryId> = new Set();
const never: AlertWindow = { startedAt: null, subjectDeliveryId: null, backlog: 0 };

describe(planAlert.name, () => {
  it('announces the first delivery of an endpoint never announced, with nothing else to report, and counts the rest of the batch', () => {
    expect(planAlert(never, [d(1), d(2), d(3)], none, T0, INTERVAL)).toEqual({
      announce: { candidate: d(1), alsoExhausted: 0 },
      backlogAdds: [d(2).deliveryId, d(3).deliveryId],
    });
  });

  it('only counts while the window is open, up to its last millisecond', () => {
    const open: AlertWindow = { startedAt: T0, subjectDeliveryId: d(1).deliveryId, backlog: 2 };
    expect(planAlert(open, [d(4)], none, at(1), INTERVAL)).toEqual({ announce: null, backlogAdds: [d(4).deliveryId] });
    expect(planAlert(open, [d(4)], none, at(INTERVAL - 1), INTERVAL)).toEqual({ announce: null, backlogAdds: [d(4).deliveryId] });
  });

  it('announces again once the window is over, reporting the backlog', () => {
    const open: AlertWindow = { startedAt: T0, subjectDeliveryId: d(1).deliveryId, backlog: 7 };
    expect(planAlert(open, [d(9), d(10)], none, at(INTERVAL), INTERVAL)).toEqual({
      announce: { candidate: d(9), alsoExhausted: 7 },
      backlogAdds: [d(10).deliveryId],
    });
  });

  it('keeps the window open when the clock went back', () => {
    const open: AlertWindow = { startedAt: T0, subjectDeliveryId: d(1).deliveryId, backlog: 0 };
    expect(planAlert(open, [d(2)], none, at(-60_000), INTERVAL).announce).toBeNull();
  });

  it('changes nothing for a batch handled again: the announced delivery and those counted are skipped', () => {
    const afterFirstRun: AlertWindow = { startedAt: T0, subjectDeliveryId: d(1).deliveryId, backlog: 2 };
    const counted = new Set([d(2).deliveryId, d(3).deliveryId]);
    expect(planAlert(afterFirstRun, [d(1), d(2), d(3)], counted, at(1_000), INTERVAL)).toEqual({ announce: null, backlogAdds: [] });
    // Even after the window: nothing new happened, so nothing is announced.
    expect(planAlert(afterFirstRun, [d(1), d(2), d(3)], counted, at(INTERVAL + 1), INTERVAL)).toEqual({ announce: null, backlogAdds: [] });
  });

  it('counts a delivery repeated within one batch once', () => {
    const open: AlertWindow = { startedAt: T0, subjectDeliveryId: d(1).deliveryId, backlog: 0 };
    expect(planAlert(open, [d(5), d(5), d(6)], none, at(1), INTERVAL).backlogAdds).toEqual([d(5).deliveryId, d(6).deliveryId]);
    expect(planAlert(never, [d(5), d(5)], none, T0, INTERVAL)).toEqual({ announce: { candidate: d(5), alsoExhausted: 0 }, backlogAdds: [] });
  });

  it('announces at most once per interval whatever the arrivals (1 per 5 minutes over an hour of deaths every 7 s)', () => {
    let window = never;
    const announcedAt: number[] = [];
    let counted = 0;
    const reported: number[] = [];
    for (let ms = 0, n = 1; ms < 3_600_000; ms += 7_000, n++) {
      const plan = planAlert(window, [d(n)], none, at(ms), INTERVAL);
      if (plan.announce) {
        announcedAt.push(ms);
        reported.push(plan.announce.alsoExhausted);
        window = { startedAt: at(ms), subjectDeliveryId: d(n).deliveryId, backlog: plan.backlogAdds.length };
      } else window = { ...window, backlog: window.backlog + plan.backlogAdds.length };
      counted = n;
    }
    expect(announcedAt.slice(1).every((ms, i) => ms - announcedAt[i] >= INTERVAL)).toBe(true);
    expect(announcedAt).toHaveLength(12);
    // Every death is either named by an event or counted in the next one, once.
    expect(announcedAt.length + reported.reduce((a, b) => a + b, 0) + window.backlog).toBe(counted);
  });
});
