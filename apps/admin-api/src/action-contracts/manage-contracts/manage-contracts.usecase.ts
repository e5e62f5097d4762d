import type { FieldIssue, TenantId } from '@hookline/contracts';
import { schemaProblem } from '@hookline/catalog';
import { ApiError, conflict, notFound, unprocessable, validationFailed } from '@hookline/service-kit';
import { generateSecret } from '@hookline/signing';
import { randomUUID } from 'node:crypto';
import type { TargetCheck } from '../../endpoints/endpoint.ports';
import { decodeCursor, toPage } from '../../http/cursor';
import { contractSecretContext, type Keyring } from '../action-contract-sealing';
import type { ContractFields } from '../action-contract.dto';
import type { ContractRow, ContractStore } from '../action-contract.ports';

/**
 * A tenant's action contracts: declared, listed, replaced (each change a new
 * version), deleted, and their signing secret read. Saving checks each
 * schema compiles under Hookline's Ajv (2020-12, strict, no remote `$ref`;
 * 400 naming `inputSchema` or `outputSchema`), the URL by the SSRF rule of
 * endpoint URLs (422 `target_refused`), and the name unique in the tenant (409
 * `name_taken`). The signing secret is generated at creation, sealed, and
 * returned in clear that once.
 */
export class ManageContracts {
  constructor(
    private readonly contracts: ContractStore,
    private readonly keyring: Keyring,
    private readonly checkTarget: TargetCheck,
  ) {}

  async create(tenantId: TenantId, fields: ContractFields): Promise<{ contract: ContractRow; secret: string }> {
    this.check(fields);
    const id = randomUUID();
    const secret = generateSecret();
    const saved = await this.contracts.insert({ id, tenantId, ...fields, secret: this.keyring.seal(secret, contractSecretContext(tenantId, id)) });
    if (!saved) throw conflict('name_taken', `tenant ${tenantId} already has an action contract named "${fields.name}"`);
    return { contract: saved, secret };
  }

  async replace(tenantId: TenantId, id: string, fields: ContractFields): Promise<ContractRow> {
    this.check(fields);
    const saved = await this.contracts.replace(tenantId, id, fields);
    if (saved === 'name_taken') throw conflict('name_taken', `tenant ${tenantId} already has an action contract named "${fields.name}"`);
    if (!saved) throw notFound(`action contract ${id}`);
    return saved;
  }

  async get(tenantId: TenantId, id: string): Promise<ContractRow> {
    const contract = await this.contracts.findLive(tenantId, id);
    if (!contract) throw notFound(`action contract ${id}`);
    return contract;
  }

  async list(tenantId: TenantId, page: { limit: number; cursor?: string }) {
    return toPage(await this.contracts.list(tenantId, page.limit + 1, decodeCursor(page.cursor)), page.limit);
  }

  async remove(tenantId: TenantId, id: string): Promise<void> {
    if (!(await this.contracts.remove(tenantId, id))) throw notFound(`action contract ${id}`);
  }

  /** The signing secret in clear (`actions:write`), as a backend's operator needs it to verify requests. */
  async secret(tenantId: TenantId, id: string): Promise<string> {
    const contract = await this.get(tenantId, id);
    try {
      return this.keyring.open(contract.secret, contractSecretContext(tenantId, id));
    } catch {
      throw new ApiError(500, 'key_unavailable', `the secret of action contract ${id} does not open with this service's master key`);
    }
  }

  private check(fields: ContractFields): void {
    const issues: FieldIssue[] = [];
    const input = schemaProblem(fields.inputSchema);
    if (input) issues.push({ field: 'inputSchema', rule: input });
    const output = fields.outputSchema === null ? null : schemaProblem(fields.outputSchema);
    if (output) issues.push({ field: 'outputSchema', rule: output });
    if (issues.length > 0) throw validationFailed(issues);
    const target = this.checkTarget(fields.url);
    if (!target.ok) throw unprocessable('target_refused', 'url', target.reason);
  }
}
