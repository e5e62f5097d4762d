import { EventInputSchema, type EventId, type EventInput } from '@hookline/contracts';
import { AcceptCoalescer, type AcceptInOneGo, type CoalescingBounds } from './accept-coalescer';
import { FakeClaims, RecordingEvents } from './accept-events.fakes';
import { AcceptEvents, type AcceptCommand, type AcceptResult, type AcceptSource } from './accept-events.usecase';

const input = (id: string, fields: Record<string, unknown> = {}): EventInput =>
  EventInputSchema.parse({ tenantId: 'acme', type: 'invoice.paid', id, data: {}, ...fields });
const cmd = (id: string): AcceptCommand => ({ input: input(id) });
const ids = (commands: AcceptCommand[]) => commands.map((c) => c.input.id);

/** Records each group and answers it when the test says so; each event's answer is derived from its own id. */
class HeldGroups implements AcceptInOneGo {
  readonly calls: Array<{ ids: (string | undefined)[]; source: AcceptSource; finish: (error?: Error) => void }> = [];
  execute(commands: AcceptCommand[], source: AcceptSource): Promise<AcceptResult[]> {
    return new Promise((resolve, reject) => {
      this.calls.push({
        ids: ids(commands),
        source,
        finish: (error) => (error ? reject(error) : resolve(commands.map((c) => ({ id: `${c.input.id}` as EventId, duplicate: c.input.id!.endsWith('dup') })))),
      });
    });
  }
}

const BOUNDS: CoalescingBounds = { lingerMs: 2, maxEvents: 5, maxInFlight: 1 };

function setup(bounds: Partial<CoalescingBounds> = {}) {
  const groups = new HeldGroups();
  return { groups, coalescer: new AcceptCoalescer(groups, { ...BOUNDS, ...bounds }) };
}

/** Lets promise callbacks run (fake timers do not advance them). */
const settle = () => jest.advanceTimersByTimeAsync(0);

describe(AcceptCoalescer.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs calls that arrive within the linger as one group and answers each caller with its own results, in order', async () => {
    const { groups, coalescer } = setup();
    const a = coalescer.execute([cmd('evt_a')], 'http');
    const b = coalescer.execute([cmd('evt_b1'), cmd('evt_b2dup')], 'http');
    await jest.advanceTimersByTimeAsync(1);
    const c = coalescer.execute([cmd('evt_c')], 'http');
    expect(groups.calls).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(groups.calls.map((g) => g.ids)).toEqual([['evt_a', 'evt_b1', 'evt_b2dup', 'evt_c']]);
    groups.calls[0].finish();
    expect(await a).toEqual([{ id: 'evt_a', duplicate: false }]);
    expect(await b).toEqual([
      { id: 'evt_b1', duplicate: false },
      { id: 'evt_b2dup', duplicate: true },
    ]);
    expect(await c).toEqual([{ id: 'evt_c', duplicate: false }]);
  });

  it('sends a group as soon as it is full or a call does not fit in it, without waiting for the linger', async () => {
    const { groups, coalescer } = setup({ maxInFlight: 2 });
    void coalescer.execute([cmd('e1'), cmd('e2'), cmd('e3')], 'http');
    void coalescer.execute([cmd('e4'), cmd('e5'), cmd('e6')], 'http');
    void coalescer.execute([cmd('e7'), cmd('e8')], 'http');
    await settle();
    expect(groups.calls.map((g) => g.ids)).toEqual([
      ['e1', 'e2', 'e3'],
      ['e4', 'e5', 'e6', 'e7', 'e8'],
    ]);
  });

  it('runs a call larger than a group alone, never split', async () => {
    const { groups, coalescer } = setup();
    const big = Array.from({ length: 7 }, (_, i) => cmd(`big_${i}`));
    const answer = coalescer.execute(big, 'kafka');
    await settle();
    expect(groups.calls.map((g) => g.ids)).toEqual([ids(big)]);
    groups.calls[0].finish();
    expect(await answer).toHaveLength(7);
  });

  it('holds a due group while the bound of groups in flight is reached, and lets it keep gathering', async () => {
    const { groups, coalescer } = setup({ maxInFlight: 1 });
    void coalescer.execute([cmd('first')], 'http');
    await jest.advanceTimersByTimeAsync(2);
    void coalescer.execute([cmd('second')], 'http');
    await jest.advanceTimersByTimeAsync(10);
    void coalescer.execute([cmd('third')], 'http');
    await jest.advanceTimersByTimeAsync(10);
    expect(groups.calls.map((g) => g.ids)).toEqual([['first']]);
    groups.calls[0].finish();
    await settle();
    expect(groups.calls.map((g) => g.ids)).toEqual([['first'], ['second', 'third']]);
  });

  it('fails every caller of a group whose claim or publication failed, and no caller of the next group', async () => {
    const { groups, coalescer } = setup({ maxInFlight: 2 });
    const a = coalescer.execute([cmd('evt_a')], 'http');
    const b = coalescer.execute([cmd('evt_b')], 'http');
    await jest.advanceTimersByTimeAsync(2);
    const c = coalescer.execute([cmd('evt_c')], 'http');
    await jest.advanceTimersByTimeAsync(2);
    groups.calls[0].finish(new Error('broker down'));
    groups.calls[1].finish();
    await expect(a).rejects.toThrow('broker down');
    await expect(b).rejects.toThrow('broker down');
    expect(await c).toEqual([{ id: 'evt_c', duplicate: false }]);
  });

  it('keeps the sources apart, so each group is counted under its own', async () => {
    const { groups, coalescer } = setup();
    void coalescer.execute([cmd('h1')], 'http');
    void coalescer.execute([cmd('k1')], 'kafka');
    void coalescer.execute([cmd('h2')], 'http');
    await jest.advanceTimersByTimeAsync(2);
    groups.calls[0].finish();
    await settle();
    groups.calls[1].finish();
    await settle();
    expect(groups.calls.map((g) => [g.source, g.ids])).toEqual([
      ['http', ['h1']],
      ['kafka', ['k1']],
      ['http', ['h2']],
    ]);
  });

  it('runs each call alone, at once, with a linger of 0', async () => {
    const { groups, coalescer } = setup({ lingerMs: 0 });
    void coalescer.execute([cmd('a')], 'http');
    void coalescer.execute([cmd('b')], 'http');
    expect(groups.calls.map((g) => g.ids)).toEqual([['a'], ['b']]);
  });
});

describe(`${AcceptCoalescer.name} over ${AcceptEvents.name}`, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function real() {
    const claims = new FakeClaims();
    const events = new RecordingEvents();
    const accept = new AcceptEvents(claims, events, { now: () => new Date('2026-11-22T10:00:00Z') }, () => 'evt_generated' as EventId);
    return { claims, events, coalescer: new AcceptCoalescer(accept, { lingerMs: 1, maxEvents: 1000, maxInFlight: 2 }) };
  }

  it('publishes an id sent by two callers of one group once, in one send, and answers the second as a duplicate', async () => {
    const { events, coalescer } = real();
    const first = coalescer.execute([cmd('evt_same')], 'http');
    const other = coalescer.execute([cmd('evt_other')], 'http');
    const second = coalescer.execute([cmd('evt_same')], 'http');
    await jest.advanceTimersByTimeAsync(1);
    expect(await first).toEqual([{ id: 'evt_same', duplicate: false }]);
    expect(await other).toEqual([{ id: 'evt_other', duplicate: false }]);
    expect(await second).toEqual([{ id: 'evt_same', duplicate: true }]);
    expect(events.sends.map((send) => send.map((e) => e.id))).toEqual([['evt_same', 'evt_other']]);
  });

  it('claims nothing of a group whose publication failed, so each caller retrying publishes again', async () => {
    const { events, coalescer } = real();
    events.failNext = new Error('broker down');
    const failed = [coalescer.execute([cmd('evt_x')], 'http'), coalescer.execute([cmd('evt_y')], 'http')];
    await jest.advanceTimersByTimeAsync(1);
    for (const answer of failed) await expect(answer).rejects.toThrow('broker down');
    const retried = [coalescer.execute([cmd('evt_x')], 'http'), coalescer.execute([cmd('evt_y')], 'http')];
    await jest.advanceTimersByTimeAsync(1);
    expect(await Promise.all(retried)).toEqual([[{ id: 'evt_x', duplicate: false }], [{ id: 'evt_y', duplicate: false }]]);
    expect(events.sends.map((send) => send.map((e) => e.id))).toEqual([['evt_x', 'evt_y']]);
  });
});
