import type { EndpointId, TenantId } from '@hookline/contracts';
import { freshDatabase } from '@hookline/testing';
import { randomUUID } from 'node:crypto';
import { EndpointEntity } from './endpoint.entity';
import { EndpointRepository } from './endpoint.repository';

/** Endpoint rows on a real PostgreSQL: changes under the row lock, pages, and what publication and resealing look for. */
describe(EndpointRepository.name, () => {
  const database = freshDatabase([EndpointEntity]);
  const repo = () => new EndpointRepository(database.db);
  const acme = 'acme' as TenantId;
  const insert = (fields: Partial<EndpointEntity> = {}) =>
    repo().insert(
      Object.assign(new EndpointEntity(), {
        id: randomUUID() as EndpointId,
        tenantId: acme,
        url: 'https://hooks.example.com/in',
        description: '',
        eventTypes: ['*'],
        signatureSchemes: ['v1'],
        secrets: [{ secret: 'hlenc1.cur.x', createdAt: '', expiresAt: null }],
        signingKeys: [],
        headers: {},
        enabled: true,
        timeoutMs: 10_000,
        version: 1,
        publishedVersion: 0,
        deletedAt: null,
        ...fields,
      }),
    );

  it('applies concurrent changes to one endpoint one after another: none is lost, each gets its own version', async () => {
    const { id } = await insert();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        repo().change(acme, id, async (e) => {
          const seen = e.description;
          await new Promise((r) => setTimeout(r, 5));
          e.description = `${seen}${i},`;
        }),
      ),
    );
    const row = (await repo().findLive(acme, id))!;
    expect(row.version).toBe(21);
    expect(
      row.description
        .split(',')
        .filter(Boolean)
        .sort((a, b) => Number(a) - Number(b)),
    ).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
  });

  it("changes nothing of another tenant's or a deleted endpoint", async () => {
    const { id } = await insert();
    expect(await repo().change('globex' as TenantId, id, (e) => void (e.description = 'taken'))).toBeNull();
    const deleted = await insert({ deletedAt: new Date() });
    expect(await repo().change(acme, deleted.id, (e) => void (e.description = 'revived'))).toBeNull();
    expect(await repo().findLive(acme, deleted.id)).toBeNull();
    expect((await repo().findLive(acme, id))!.description).toBe('');
  });

  it('rolls a change back when it throws', async () => {
    const { id } = await insert();
    await expect(repo().change(acme, id, () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    expect((await repo().findLive(acme, id))!.version).toBe(1);
  });

  it("pages through a tenant's live endpoints in creation order, each one once (regression: a row created within the cursor's millisecond came back)", async () => {
    const tenant = `pages-${randomUUID().slice(0, 8)}` as TenantId;
    const ids = [];
    for (let i = 0; i < 7; i++) ids.push((await insert({ tenantId: tenant })).id);
    await insert({ tenantId: tenant, deletedAt: new Date() });
    const seen: string[] = [];
    let after: { createdAt: Date; id: string } | undefined;
    for (;;) {
      const page = await repo().list(tenant, 3, after);
      seen.push(...page.map((e) => e.id));
      if (page.length < 3) break;
      after = page[page.length - 1];
    }
    expect(seen).toEqual(ids);
  });

  it('finds the endpoints the topic lags behind, and those holding a value not sealed under the current key', async () => {
    const lagging = await insert({ version: 3, publishedVersion: 2 });
    const current = await insert({ version: 2, publishedVersion: 2 });
    const legacy = await insert({ secrets: [{ secret: 'whsec_plaintext', createdAt: '', expiresAt: null }], version: 2, publishedVersion: 2 });
    const oldKey = await insert({
      signingKeys: [{ keyId: 'k', algorithm: 'ed25519', publicKey: 'p', privateKey: 'hlenc1.old.y', createdAt: '' }],
      version: 2,
      publishedVersion: 2,
    });
    const unpublished = await repo().unpublished(1000);
    expect(unpublished).toContain(lagging.id);
    expect(unpublished).not.toContain(current.id);
    const resealable = await repo().needingReseal('hlenc1.cur.', '00000000-0000-0000-0000-000000000000', 1000);
    expect(resealable).toEqual(expect.arrayContaining([legacy.id, oldKey.id]));
    expect(resealable).not.toContain(current.id);
  });
});
