import { EndpointsChangedTopic, type EndpointId, type TenantId } from '@hookline/contracts';
import type { OutgoingMessage } from '@hookline/kafka';
import pino from 'pino';
import { EndpointEntity } from '../endpoints/endpoint.entity';
import { PublishEndpointChanges, type EndpointsTopic, type PublishedEndpoints } from './publish-endpoint-changes.usecase';

const A = '5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11' as EndpointId;
const B = '6c8d8b1f-9b4d-4e1f-8b64-2a7a3b5f0d22' as EndpointId;

function row(id: EndpointId, version: number, publishedVersion: number, deletedAt: Date | null = null): EndpointEntity {
  return Object.assign(new EndpointEntity(), {
    id,
    tenantId: 'acme' as TenantId,
    url: 'https://hooks.example.com/in',
    description: '',
    eventTypes: ['*'],
    signatureSchemes: ['v1'],
    secrets: [{ secret: 'hlenc1.k.sealed', createdAt: '', expiresAt: null }],
    signingKeys: [{ keyId: 'k1', algorithm: 'ed25519', publicKey: 'whpk_public', privateKey: 'hlenc1.k.private', createdAt: '' }],
    headers: {},
    enabled: true,
    timeoutMs: 10_000,
    version,
    publishedVersion,
    updatedAt: new Date('2026-11-22T10:00:00Z'),
    deletedAt,
  });
}

class Rows implements PublishedEndpoints {
  constructor(readonly rows: Map<EndpointId, EndpointEntity>) {}
  async withLocked<T>(id: EndpointId, work: (e: EndpointEntity | null, save: (e: EndpointEntity) => Promise<EndpointEntity>) => Promise<T>): Promise<T> {
    const copy = this.rows.has(id) ? structuredClone(this.rows.get(id)!) : null;
    return work(copy, async (e) => (this.rows.set(id, e), e));
  }
  async unpublished(limit: number): Promise<EndpointId[]> {
    return [...this.rows.values()]
      .filter((e) => e.publishedVersion < e.version)
      .map((e) => e.id)
      .slice(0, limit);
  }
}

class Topic implements EndpointsTopic {
  readonly records: OutgoingMessage<typeof EndpointsChangedTopic>[] = [];
  failing = false;
  async send(_t: typeof EndpointsChangedTopic, messages: OutgoingMessage<typeof EndpointsChangedTopic>[]): Promise<void> {
    if (this.failing) throw new Error('broker down');
    this.records.push(...messages);
  }
}

const silent = pino({ level: 'silent' });

describe(PublishEndpointChanges.name, () => {
  it('publishes a newer version with its secrets still sealed and no public keys, and records it as published', async () => {
    const rows = new Rows(new Map([[A, row(A, 3, 2)]]));
    const topic = new Topic();
    await new PublishEndpointChanges(rows, topic, silent).execute(A);
    expect(topic.records).toHaveLength(1);
    expect(topic.records[0]).toMatchObject({ key: A, value: { id: A, version: 3, secrets: [{ secret: 'hlenc1.k.sealed' }] } });
    expect(topic.records[0].value?.signingKeys).toEqual([{ keyId: 'k1', algorithm: 'ed25519', privateKey: 'hlenc1.k.private', createdAt: '' }]);
    expect(rows.rows.get(A)!.publishedVersion).toBe(3);
  });

  it('publishes nothing for a version already on the topic', async () => {
    const topic = new Topic();
    await new PublishEndpointChanges(new Rows(new Map([[A, row(A, 3, 3)]])), topic, silent).execute(A);
    expect(topic.records).toEqual([]);
  });

  it('publishes a deleted endpoint as a tombstone', async () => {
    const topic = new Topic();
    await new PublishEndpointChanges(new Rows(new Map([[A, row(A, 4, 3, new Date())]])), topic, silent).execute(A);
    expect(topic.records).toEqual([{ key: A, value: null }]);
  });

  it('leaves a failed publication to the relay, which publishes every lagging endpoint later', async () => {
    const rows = new Rows(
      new Map([
        [A, row(A, 2, 1)],
        [B, row(B, 5, 4)],
      ]),
    );
    const topic = new Topic();
    const useCase = new PublishEndpointChanges(rows, topic, silent);
    topic.failing = true;
    await useCase.executeOrDefer(A);
    expect(rows.rows.get(A)!.publishedVersion).toBe(1);
    topic.failing = false;
    expect(await useCase.relayUnpublished(500)).toBe(2);
    expect(topic.records.map((r) => r.key).sort()).toEqual([A, B].sort());
    expect(await useCase.relayUnpublished(500)).toBe(0);
  });
});
