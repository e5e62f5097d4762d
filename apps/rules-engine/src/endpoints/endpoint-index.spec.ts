import type { EndpointConfig, EndpointId } from '@hookline/contracts';
import { anEndpointConfig, anEvent } from '@hookline/testing';
import { EndpointIndex } from './endpoint-index';

const ID = {
  all: '5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11',
  vip: '6c8d8b1f-9b4d-4e1f-8b64-2a7a3b5f0d22',
  tickets: '7d9e9c2a-ac5e-4f2a-9c75-3b8b4c6a1e33',
} as const;

const vipFilter = {
  all: [
    { path: 'data.priority', op: 'equals', value: 'high' },
    { path: 'data.customer.tier', op: 'in', value: ['gold', 'platinum'] },
  ],
};

function index(...configs: EndpointConfig[]) {
  const errors: unknown[] = [];
  const idx = new EndpointIndex({ error: (fields: unknown) => errors.push(fields) } as never);
  for (const c of configs) idx.apply(c.id, c);
  return { idx, errors };
}

const ticket = (data: Record<string, unknown>) => anEvent({ type: 'ticket.created', tenantId: 'acme', data });
const ids = (configs: EndpointConfig[]) => configs.map((c) => c.id).sort();

describe('EndpointIndex', () => {
  it('routes an event to the endpoints whose filter it matches, and to those without a filter', () => {
    const { idx } = index(
      anEndpointConfig({ id: ID.all }),
      anEndpointConfig({ id: ID.vip, filter: vipFilter }),
      anEndpointConfig({ id: ID.tickets, eventTypes: ['invoice.*'] }),
    );
    expect(ids(idx.subscribersOf(ticket({ priority: 'high', customer: { tier: 'gold' } })))).toEqual([ID.all, ID.vip]);
    expect(ids(idx.subscribersOf(ticket({ priority: 'high', customer: { tier: 'free' } })))).toEqual([ID.all]);
    expect(ids(idx.subscribersOf(ticket({})))).toEqual([ID.all]);
    expect(idx.subscribersOf(anEvent({ type: 'ticket.created', tenantId: 'globex', data: { priority: 'high', customer: { tier: 'gold' } } }))).toEqual([]);
  });

  it('follows a changed filter, a removed one and a deleted endpoint', () => {
    const { idx } = index(anEndpointConfig({ id: ID.vip, filter: vipFilter }));
    const lowGold = ticket({ priority: 'low', customer: { tier: 'gold' } });
    expect(idx.subscribersOf(lowGold)).toEqual([]);
    idx.apply(ID.vip as EndpointId, anEndpointConfig({ id: ID.vip, version: 2, filter: { path: 'data.customer.tier', op: 'equals', value: 'gold' } }));
    expect(ids(idx.subscribersOf(lowGold))).toEqual([ID.vip]);
    idx.apply(ID.vip as EndpointId, anEndpointConfig({ id: ID.vip, version: 3, filter: null, enabled: false }));
    expect(idx.subscribersOf(lowGold)).toEqual([]);
    idx.apply(ID.vip as EndpointId, anEndpointConfig({ id: ID.vip, version: 4 }));
    expect(ids(idx.subscribersOf(ticket({})))).toEqual([ID.vip]);
    idx.apply(ID.vip as EndpointId, null);
    expect(idx.subscribersOf(ticket({}))).toEqual([]);
  });

  it('applies no filter that is not a valid condition, and logs it: the event is delivered, not dropped', () => {
    const { idx, errors } = index(anEndpointConfig({ id: ID.vip, filter: { path: 'data.x', op: 'like', value: 1 } }));
    expect(ids(idx.subscribersOf(ticket({})))).toEqual([ID.vip]);
    expect(errors).toEqual([expect.objectContaining({ endpointId: ID.vip, issues: [expect.objectContaining({ field: 'filter.op' })] })]);
  });
});
