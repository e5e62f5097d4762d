import { EventInputSchema, type EventId, type EventInput } from '@hookline/contracts';
import { FakeClaims, RecordingEvents } from './accept-events.fakes';
import { AcceptEvents } from './accept-events.usecase';

const NOW = new Date('2026-11-22T10:00:00Z');

const input = (fields: Record<string, unknown>): EventInput => EventInputSchema.parse({ tenantId: 'acme', type: 'invoice.paid', data: { n: 1 }, ...fields });

function setup() {
  const claims = new FakeClaims();
  const events = new RecordingEvents();
  let n = 0;
  const useCase = new AcceptEvents(claims, events, { now: () => NOW }, () => `evt_generated_${++n}` as EventId);
  return { claims, events, useCase };
}

describe(AcceptEvents.name, () => {
  it('gives an id to an event sent without one and stamps receipt (and occurrence, if absent) with the clock', async () => {
    const { events, useCase } = setup();
    const [result] = await useCase.execute([{ input: input({}) }], 'http');
    expect(result).toEqual({ id: 'evt_generated_1', duplicate: false });
    expect(events.sent).toEqual([
      { id: 'evt_generated_1', tenantId: 'acme', type: 'invoice.paid', data: { n: 1 }, occurredAt: NOW.toISOString(), receivedAt: NOW.toISOString() },
    ]);
  });

  it("keeps the producer's id and normalises its occurredAt to UTC", async () => {
    const { events, useCase } = setup();
    await useCase.execute([{ input: input({ id: 'inv_1:paid', occurredAt: '2026-11-22T11:00:00+01:00' }) }], 'kafka');
    expect(events.sent[0]).toMatchObject({ id: 'inv_1:paid', occurredAt: '2026-11-22T10:00:00.000Z' });
  });

  it('accepts an id seen before as a duplicate without publishing it again', async () => {
    const { events, useCase } = setup();
    await useCase.execute([{ input: input({ id: 'evt_a' }) }], 'http');
    expect(await useCase.execute([{ input: input({ id: 'evt_a' }) }], 'http')).toEqual([{ id: 'evt_a', duplicate: true }]);
    expect(events.sent.map((e) => e.id)).toEqual(['evt_a']);
  });

  it('publishes an id repeated within one call once, and answers in the order asked', async () => {
    const { events, useCase } = setup();
    const results = await useCase.execute([{ input: input({ id: 'evt_b' }) }, { input: input({ id: 'evt_c' }) }, { input: input({ id: 'evt_b' }) }], 'http');
    expect(results).toEqual([
      { id: 'evt_b', duplicate: false },
      { id: 'evt_c', duplicate: false },
      { id: 'evt_b', duplicate: true },
    ]);
    expect(events.sent.map((e) => e.id)).toEqual(['evt_b', 'evt_c']);
  });

  it('treats the same id of two tenants as two events', async () => {
    const { events, useCase } = setup();
    await useCase.execute([{ input: input({ id: 'evt_d' }) }, { input: input({ id: 'evt_d', tenantId: 'globex' }) }], 'http');
    expect(events.sent.map((e) => `${e.tenantId}/${e.id}`)).toEqual(['acme/evt_d', 'globex/evt_d']);
  });

  it('fails without claiming the id when publishing fails, so a retry publishes it', async () => {
    const { events, useCase } = setup();
    events.failNext = new Error('broker down');
    await expect(useCase.execute([{ input: input({ id: 'evt_e' }) }], 'http')).rejects.toThrow('broker down');
    expect(await useCase.execute([{ input: input({ id: 'evt_e' }) }], 'http')).toEqual([{ id: 'evt_e', duplicate: false }]);
    expect(events.sent.map((e) => e.id)).toEqual(['evt_e']);
  });
});
