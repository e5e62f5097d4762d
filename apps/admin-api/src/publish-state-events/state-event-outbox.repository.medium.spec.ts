import type { EventEnvelope } from '@hookline/contracts';
import { freshDatabase } from '@hookline/testing';
import { randomUUID } from 'node:crypto';
import { StateEventOutboxRepository } from './state-event-outbox.repository';

/** The `endpoint.*` outbox on a real PostgreSQL: an event waits for its endpoint version to be published, and goes once. */
describe(StateEventOutboxRepository.name, () => {
  const database = freshDatabase();
  const repo = () => new StateEventOutboxRepository(database.db);
  const endpoint = async (version: number, publishedVersion: number) => {
    const id = randomUUID();
    await database.db.query(
      `INSERT INTO endpoints (id, tenant_id, url, event_types, secrets, signature_schemes, signing_keys, version, published_version)
       VALUES ($1, 'acme', 'https://hooks.example.com', '{*}', '[]', '{v1}', '[]', $2, $3)`,
      [id, version, publishedVersion],
    );
    return id;
  };
  const event = async (endpointId: string, version: number) => {
    const id = `hookline_endpoint.paused_${endpointId}_${version}`;
    await database.db.query(`INSERT INTO endpoint_state_events (id, tenant_id, endpoint_id, endpoint_version, event) VALUES ($1, 'acme', $2, $3, $4)`, [
      id,
      endpointId,
      version,
      JSON.stringify({ id }),
    ]);
    return id;
  };
  const relay = async () => {
    const out: string[] = [];
    await repo().relayReady(100, undefined, async (events: EventEnvelope[]) => void out.push(...events.map((e) => e.id)));
    return out;
  };

  it('holds an event until the endpoint version it announces is on the endpoints topic, then emits it once', async () => {
    const id = await endpoint(3, 2);
    const waiting = await event(id, 3);
    expect(await relay()).toEqual([]);
    await database.db.query(`UPDATE endpoints SET published_version = 3 WHERE id = $1`, [id]);
    expect(await relay()).toEqual([waiting]);
    expect(await relay()).toEqual([]);
  });

  it('keeps the events when emitting them fails', async () => {
    const id = await endpoint(2, 2);
    const kept = await event(id, 2);
    await expect(repo().relayReady(100, undefined, () => Promise.reject(new Error('broker down')))).rejects.toThrow('broker down');
    expect(await relay()).toEqual([kept]);
  });
});
