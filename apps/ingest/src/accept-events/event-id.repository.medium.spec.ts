import type { EventId, TenantId } from '@hookline/contracts';
import { freshDatabase } from '@hookline/testing';
import { keyOf, type EventKey } from './accept-events.usecase';
import { EventIdRepository } from './event-id.repository';

/** Event-id claims, the 24 h dedup, on a real PostgreSQL. */
describe(EventIdRepository.name, () => {
  const database = freshDatabase();
  const repo = () => new EventIdRepository(database.db);
  const key = (eventId: string, tenantId = 'acme'): EventKey => ({ tenantId: tenantId as TenantId, eventId: eventId as EventId });
  const claim = (keys: EventKey[]) => repo().claimWhile(keys, async (fresh) => fresh);

  it('finds an id fresh the first time and not again, per tenant', async () => {
    expect(await claim([key('a'), key('a', 'globex')])).toEqual(new Set([keyOf(key('a')), keyOf(key('a', 'globex'))]));
    expect(await claim([key('a'), key('b')])).toEqual(new Set([keyOf(key('b'))]));
  });

  it('keeps no claim when publishing failed, so a retry publishes', async () => {
    await expect(repo().claimWhile([key('c')], async () => Promise.reject(new Error('broker down')))).rejects.toThrow('broker down');
    expect(await claim([key('c')])).toEqual(new Set([keyOf(key('c'))]));
  });

  it('lets only one of two concurrent claims of an id publish it; the other waits and sees a duplicate', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const first = repo().claimWhile([key('d')], async (fresh) => {
      await held;
      return fresh;
    });
    await new Promise((r) => setTimeout(r, 100));
    const second = claim([key('d')]);
    release();
    expect([await first, await second]).toEqual([new Set([keyOf(key('d'))]), new Set()]);
  });

  it('folds an id repeated within one claim', async () => {
    expect(await claim([key('e'), key('e')])).toEqual(new Set([keyOf(key('e'))]));
  });

  it('finds an id fresh again after 24 h, and purges what is older', async () => {
    await claim([key('f'), key('g')]);
    await database.db.query(`UPDATE ingested_event_ids SET first_seen_at = now() - interval '25 hours' WHERE event_id = 'f'`);
    expect(await repo().purgeExpired()).toBe(1);
    await database.db.query(`UPDATE ingested_event_ids SET first_seen_at = now() - interval '25 hours' WHERE event_id = 'g'`);
    expect(await claim([key('g')])).toEqual(new Set([keyOf(key('g'))]));
    expect(await claim([key('g')])).toEqual(new Set());
  });
});
