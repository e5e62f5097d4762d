import type { ActionRequest } from '@hookline/contracts';
import type { Received } from '@hookline/kafka';
import { ApiError } from '@hookline/service-kit';
import type { InvocationRepository } from '../action-contract.repository';
import type { InvocationRow } from '../action-contract.ports';
import type { InvokeAction } from '../invoke-action/invoke-action.usecase';
import { ActionRequestsConsumer } from './action-requests.consumer';

const request: ActionRequest = {
  invocationId: 'inv_0123456789abcdef0123456789abcdef',
  tenantId: 'acme' as ActionRequest['tenantId'],
  contractId: '3a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  input: { ticketId: 'T-1' },
  eventId: 'evt_1',
  rule: { id: '0b6f3c2e-1d4a-4c5b-8e9f-7a6b5c4d3e21', version: 1, actionKey: 'escalate' },
  requestedAt: '2026-11-29T10:00:00Z',
};
const message = { value: request } as Received<never>;

/** Answers each invocation attempt in turn: an error to throw, or success. */
function setup(outcomes: (ApiError | Error | 'ok')[], audited: InvocationRow['status'] | null = null) {
  const attempts: string[] = [];
  const slept: number[] = [];
  const invoke = {
    execute: async (_tenant: string, _contract: string, _input: unknown, invoker: { invocationId: string }) => {
      attempts.push(invoker.invocationId);
      const outcome = outcomes.shift() ?? 'ok';
      if (outcome !== 'ok') throw outcome;
      return {};
    },
  } as unknown as InvokeAction;
  const audit = { find: async () => (audited ? ({ status: audited } as InvocationRow) : null) } as unknown as InvocationRepository;
  const consumer = new ActionRequestsConsumer(invoke, audit, async (ms) => void slept.push(ms), { warn: () => undefined } as never);
  return { consumer, attempts, slept };
}

describe(ActionRequestsConsumer.name, () => {
  it('tries a backend failure three times in all, under the same invocation id, waiting 1 s then 5 s', async () => {
    const { consumer, attempts, slept } = setup([new ApiError(502, 'backend_failed', 'x'), new ApiError(504, 'backend_timeout', 'x'), 'ok']);
    await consumer.handle(message);
    expect(attempts).toEqual([request.invocationId, request.invocationId, request.invocationId]);
    expect(slept).toEqual([1000, 5000]);
  });

  it('gives up after the third failure without failing the record (the records behind it go on)', async () => {
    const failure = () => new ApiError(502, 'backend_failed', 'x');
    const { consumer, attempts } = setup([failure(), failure(), failure(), failure()]);
    await expect(consumer.handle(message)).resolves.toBeUndefined();
    expect(attempts).toHaveLength(3);
  });

  it.each([
    ['input the schema refuses', new ApiError(422, 'input_invalid', 'x')],
    ['a contract deleted since', new ApiError(404, 'not_found', 'x')],
    ['a secret that does not open', new ApiError(500, 'key_unavailable', 'x')],
  ])('does not try again after %s', async (_what, error) => {
    const { consumer, attempts } = setup([error]);
    await consumer.handle(message);
    expect(attempts).toHaveLength(1);
  });

  it.each(['succeeded', 'refused'] as const)('runs no invocation already audited as %s (a redone batch)', async (status) => {
    const { consumer, attempts } = setup([], status);
    await consumer.handle(message);
    expect(attempts).toEqual([]);
  });

  it('runs again an invocation audited as failed (a redelivery after a crash mid-retry)', async () => {
    const { consumer, attempts } = setup([], 'failed');
    await consumer.handle(message);
    expect(attempts).toEqual([request.invocationId]);
  });

  it('lets an unexpected error fail the record, for the consumer to retry or park', async () => {
    const { consumer } = setup([new Error('database down')]);
    await expect(consumer.handle(message)).rejects.toThrow('database down');
  });
});
