import { type TenantId } from '@hookline/contracts';
import { PROVIDERS, sourceSecretContext } from '@hookline/inbound';
import { conflict, notFound, validationFailed } from '@hookline/service-kit';
import { randomUUID } from 'node:crypto';
import { ZodError } from 'zod';
import type { Keyring } from '../../action-contracts/action-contract-sealing';
import { decodeCursor, toPage } from '../../http/cursor';
import type { SourceInput } from '../inbound-source.dto';
import type { SourceFields, SourceRow, SourceStore } from '../inbound-source.ports';

/**
 * A tenant's inbound sources: created, listed, replaced, deleted, and their
 * inbound log read. Saving checks the provider's options (400 naming
 * `options.<field>`) and that the source has the key its provider verifies
 * with (a secret, a public key); the secret is sealed, write-only, and kept
 * by a replacement that leaves it out.
 */
export class ManageSources {
  constructor(
    private readonly sources: SourceStore,
    private readonly keyring: Pick<Keyring, 'seal'>,
  ) {}

  async create(tenantId: TenantId, input: SourceInput): Promise<SourceRow> {
    const id = randomUUID();
    const saved = await this.sources.insert(tenantId, id, this.fields(tenantId, id, input, null));
    if (!saved) throw conflict('name_taken', `tenant ${tenantId} already has an inbound source named "${input.name}"`);
    return saved;
  }

  async replace(tenantId: TenantId, id: string, input: SourceInput): Promise<SourceRow> {
    const current = await this.get(tenantId, id);
    const saved = await this.sources.replace(tenantId, id, this.fields(tenantId, id, input, current.provider === input.provider ? current.secret : null));
    if (saved === 'name_taken') throw conflict('name_taken', `tenant ${tenantId} already has an inbound source named "${input.name}"`);
    if (!saved) throw notFound(`inbound source ${id}`);
    return saved;
  }

  async get(tenantId: TenantId, id: string): Promise<SourceRow> {
    const source = await this.sources.findLive(tenantId, id);
    if (!source) throw notFound(`inbound source ${id}`);
    return source;
  }

  async list(tenantId: TenantId, page: { limit: number; cursor?: string }) {
    return toPage(await this.sources.list(tenantId, page.limit + 1, decodeCursor(page.cursor)), page.limit);
  }

  async remove(tenantId: TenantId, id: string): Promise<void> {
    if (!(await this.sources.remove(tenantId, id))) throw notFound(`inbound source ${id}`);
  }

  async log(tenantId: TenantId, id: string, page: { limit: number; cursor?: string }) {
    await this.get(tenantId, id);
    const before = decodeCursor(page.cursor);
    const rows = await this.sources.log(id, page.limit + 1, before && { receivedAt: before.createdAt, id: before.id });
    return toPage(
      rows.map((r) => ({ ...r, createdAt: r.receivedAt })),
      page.limit,
    );
  }

  private fields(tenantId: TenantId, id: string, input: SourceInput, keptSecret: string | null): SourceFields {
    const provider = PROVIDERS[input.provider];
    let options: Record<string, unknown>;
    try {
      options = provider.parseOptions(input.options);
    } catch (err) {
      if (!(err instanceof ZodError)) throw err;
      throw validationFailed(err.issues.map((i) => ({ field: ['options', ...i.path].join('.'), rule: i.message })));
    }
    const secret = input.secret === undefined ? keptSecret : this.keyring.seal(input.secret, sourceSecretContext(tenantId, id));
    const publicKey = input.publicKey ?? null;
    const needs = provider.keys;
    if ((needs === 'secret' && secret === null) || (needs === 'secret_or_public_key' && secret === null && publicKey === null))
      throw validationFailed([{ field: 'secret', rule: `is required for ${provider.name}: the secret it signs its callbacks with` }]);
    if (needs === 'public_key' && publicKey === null)
      throw validationFailed([{ field: 'publicKey', rule: `is required for ${provider.name}: the public key it signs its callbacks with` }]);
    return {
      provider: provider.name,
      name: input.name,
      secret,
      publicKey,
      options,
      eventTypePrefix: input.eventTypePrefix ?? `inbound.${provider.name}`,
      enabled: input.enabled,
      storeBodies: input.storeBodies,
    };
  }
}
