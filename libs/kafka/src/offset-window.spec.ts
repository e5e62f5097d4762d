import { OffsetWindow } from './offset-window';

describe(OffsetWindow.name, () => {
  it('commits nothing before any message finished', () => {
    const w = new OffsetWindow();
    w.track(10);
    w.track(11);
    expect(w.takeCommittable()).toBe(10);
    expect(w.takeCommittable()).toBeNull();
  });

  it('never commits past an unfinished message, even when later ones are done', () => {
    const w = new OffsetWindow();
    [5, 6, 7, 8].forEach((o) => w.track(o));
    w.done(6);
    w.done(8);
    w.done(7);
    expect(w.takeCommittable()).toBe(5);
    expect(w.inFlight).toBe(1);
    w.done(5);
    expect(w.takeCommittable()).toBe(9);
    expect(w.inFlight).toBe(0);
  });

  it('handles gaps in offsets (compaction, control records)', () => {
    const w = new OffsetWindow();
    [3, 9, 20].forEach((o) => w.track(o));
    w.done(9);
    w.done(3);
    expect(w.takeCommittable()).toBe(20);
    w.done(20);
    expect(w.takeCommittable()).toBe(21);
  });

  it('rejects offsets tracked out of order', () => {
    const w = new OffsetWindow();
    w.track(4);
    expect(() => w.track(4)).toThrow('out of order');
  });

  it('keeps working across many messages (compaction of its own list)', () => {
    const w = new OffsetWindow();
    for (let i = 0; i < 5000; i++) w.track(i);
    for (let i = 4999; i >= 1; i--) w.done(i);
    expect(w.takeCommittable()).toBe(0);
    w.done(0);
    expect(w.takeCommittable()).toBe(5000);
    w.track(5000);
    w.done(5000);
    expect(w.takeCommittable()).toBe(5001);
  });
});
