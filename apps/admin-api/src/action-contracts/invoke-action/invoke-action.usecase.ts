import { invocationIdFor, type FieldIssue, type TenantId } from '@hookline/contracts';
import { SchemaValidators } from '@hookline/catalog';
import { sendOnce, type HttpSender } from '@hookline/egress';
import { ApiError, notFound, type Caller } from '@hookline/service-kit';
import { hmacKeyOf, requestPath, signRequest, type SchemeConfig } from '@hookline/signing';
import { createHash, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../../endpoints/endpoint.ports';
import { contractSecretContext, type Keyring } from '../action-contract-sealing';
import type { ContractRow, ContractStore, InvocationLog, InvocationRecord } from '../action-contract.ports';

/** The most of a backend's answer read and returned (its JSON output). */
export const OUTPUT_LIMIT_BYTES = 256 * 1024;

/** Who asks: an API key (checked for the contract's roles), or a rule's `invoke` action (or its trial). */
export type Invoker =
  | { kind: 'api'; caller: Caller; idempotencyKey?: string }
  | { kind: 'rule' | 'trial'; ruleId: string; actionKey: string; invocationId: string; eventId: string };

export interface InvocationResult {
  invocationId: string;
  contractId: string;
  status: number;
  output: unknown;
  durationMs: number;
}

/**
 * One call into a tenant's backend through an action contract: the caller's
 * roles checked (403 `forbidden` naming the roles), the input checked against
 * the input schema (422 `input_invalid`, each violation a JSON pointer under
 * `/input`), then one request, signed with the contract's secret in the
 * schemes of a delivery, under `webhook-id` = the invocation id and
 * `Idempotency-Key` = the caller's key (or the invocation id), sent through
 * the SSRF-safe egress with the contract's method and timeout. The backend's
 * 2xx answer is returned: its JSON (checked against the output schema: 502
 * `output_invalid`), its text when it is not JSON and there is no output
 * schema, null when empty; anything else is a 502 (`backend_failed`,
 * `backend_unreachable`) or 504 (`backend_timeout`). Every outcome, refusals
 * included, is audited with a digest of the input, never the input.
 */
export class InvokeAction {
  private readonly validators = new SchemaValidators(1_000);

  constructor(
    private readonly contracts: Pick<ContractStore, 'findLive'>,
    private readonly audit: InvocationLog,
    private readonly keyring: Keyring,
    private readonly http: HttpSender,
    private readonly clock: Clock,
    private readonly logger: Pick<Logger, 'error'>,
  ) {}

  async execute(tenantId: TenantId, contractId: string, input: unknown, invoker: Invoker): Promise<InvocationResult> {
    const contract = await this.contracts.findLive(tenantId, contractId);
    if (!contract) throw notFound(`action contract ${contractId}`);
    const started = this.clock.now();
    const invocationId = invocationIdOf(tenantId, contractId, invoker);
    const record = (fields: Pick<InvocationRecord, 'status' | 'httpStatus' | 'error'>) =>
      this.audit.record({
        id: invocationId,
        tenantId,
        contractId,
        contractVersion: contract.version,
        caller: invoker.kind === 'api' ? invoker.caller.keyId : `rule:${invoker.ruleId}/${invoker.actionKey}`,
        origin: invoker.kind,
        inputDigest: digestOf(input),
        durationMs: this.clock.now().getTime() - started.getTime(),
        idempotencyKey: invoker.kind === 'api' ? (invoker.idempotencyKey ?? null) : invoker.invocationId,
        eventId: invoker.kind === 'api' ? null : invoker.eventId,
        ...fields,
      });
    const refuse = async (error: ApiError) => {
      await record({ status: 'refused', httpStatus: null, error: error.code });
      return error;
    };

    if (invoker.kind === 'api' && !mayInvoke(invoker.caller, contract)) {
      throw await refuse(
        new ApiError(
          403,
          'forbidden',
          `this API key holds none of the roles allowed to invoke ${contract.name}: ${contract.allowedRoles.join(', ')}`,
          undefined,
          {
            allowedRoles: contract.allowedRoles,
          },
        ),
      );
    }
    const inputIssues = this.violations(contract, 'input', contract.inputSchema, input);
    if (inputIssues.length > 0) throw await refuse(new ApiError(422, 'input_invalid', issuesText(inputIssues), inputIssues));

    let secret: string;
    try {
      secret = this.keyring.open(contract.secret, contractSecretContext(tenantId, contract.id));
    } catch (err) {
      this.logger.error({ err, contractId }, 'the secret of an action contract does not open with the master key');
      throw await refuse(new ApiError(500, 'key_unavailable', `the secret of action contract ${contractId} does not open with this service's master key`));
    }
    const body = JSON.stringify(input);
    const key = hmacKeyOf(secret);
    const schemes: SchemeConfig[] = contract.signatureSchemes.map((scheme) => ({ scheme, secrets: [key] }));
    const headers = {
      'content-type': 'application/json',
      'idempotency-key': invoker.kind === 'api' ? (invoker.idempotencyKey ?? invocationId) : invoker.invocationId,
      'x-hookline-action': contract.name,
      'x-hookline-invocation': invocationId,
      ...(invoker.kind === 'trial' ? { 'x-hookline-test': 'true' } : {}),
      ...signRequest({ schemes, id: invocationId, timestamp: Math.floor(started.getTime() / 1000), body, path: requestPath(contract.url) }),
    };
    const answer = await sendOnce(this.http, {
      method: contract.method,
      url: contract.url,
      headers,
      body,
      timeoutMs: contract.timeoutMs,
      captureBytes: OUTPUT_LIMIT_BYTES,
    });
    const durationMs = this.clock.now().getTime() - started.getTime();

    const fail = async (status: number, error: string, message: string, details: Record<string, unknown> = {}, issues?: FieldIssue[]) => {
      await record({ status: 'failed', httpStatus: 'response' in answer ? answer.response.status : null, error });
      return new ApiError(status, error, message, issues, { invocationId, ...details });
    };
    if (!('response' in answer)) {
      if (answer.kind === 'timeout') throw await fail(504, 'backend_timeout', `${contract.name} did not answer within ${contract.timeoutMs} ms`);
      throw await fail(502, 'backend_unreachable', `${contract.name} could not be reached: ${answer.message}`);
    }
    const { status, body: text, bodyTruncated } = answer.response;
    if (status < 200 || status > 299) {
      throw await fail(502, 'backend_failed', `${contract.name} answered ${status}`, { backendStatus: status, backendBody: text.slice(0, 4096) });
    }
    if (bodyTruncated) throw await fail(502, 'output_invalid', `${contract.name} answered ${status} with more than ${OUTPUT_LIMIT_BYTES} bytes`);
    let output: unknown = null;
    if (text.trim() !== '') {
      try {
        output = JSON.parse(text);
      } catch {
        // Without an output schema, an answer that is not JSON is returned as its text.
        if (contract.outputSchema) throw await fail(502, 'output_invalid', `${contract.name} answered ${status} with a body that is not JSON`);
        output = text;
      }
    }
    if (contract.outputSchema) {
      const outputIssues = this.violations(contract, 'output', contract.outputSchema, output);
      if (outputIssues.length > 0)
        throw await fail(502, 'output_invalid', `${contract.name}'s answer breaks its output schema: ${issuesText(outputIssues)}`, {}, outputIssues);
    }
    await record({ status: 'succeeded', httpStatus: status, error: null });
    return { invocationId, contractId, status, output, durationMs };
  }

  private violations(contract: ContractRow, part: 'input' | 'output', schema: Record<string, unknown>, value: unknown): FieldIssue[] {
    const check = this.validators.check(`${contract.id}:${contract.version}:${part}`, schema, value);
    if (!check.ok) return [{ field: `/${part}`, rule: `the ${part} schema cannot be used: ${check.unusable}` }];
    return check.violations.map((v) => ({ field: `/${part}${v.pointer}`, rule: v.rule }));
  }
}

/** A key with `admin` may invoke anything; otherwise it must hold one of the contract's roles, when it lists any. */
export function mayInvoke(caller: Pick<Caller, 'scopes' | 'roles'>, contract: Pick<ContractRow, 'allowedRoles'>): boolean {
  if (caller.scopes.includes('admin') || contract.allowedRoles.length === 0) return true;
  return caller.roles.some((r) => contract.allowedRoles.includes(r));
}

/** The same invocation for a retried request (same key, same Idempotency-Key) or a redone rule; a new one otherwise. */
function invocationIdOf(tenantId: TenantId, contractId: string, invoker: Invoker): string {
  if (invoker.kind !== 'api') return invoker.invocationId;
  if (invoker.idempotencyKey !== undefined) return invocationIdFor('api', tenantId, contractId, invoker.caller.keyId, invoker.idempotencyKey);
  return `inv_${randomUUID().replace(/-/g, '')}`;
}

/** `sha256:<hex>` of the input as canonical JSON (keys sorted), so equal inputs have equal digests. */
export function digestOf(input: unknown): string {
  return `sha256:${createHash('sha256').update(canonical(input)).digest('hex')}`;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function issuesText(issues: FieldIssue[]): string {
  return issues.map((i) => `${i.field}: ${i.rule}`).join('; ');
}
