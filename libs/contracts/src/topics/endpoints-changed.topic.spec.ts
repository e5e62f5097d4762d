import { EndpointConfigSchema, EndpointRetryPolicySchema } from './endpoints-changed.topic';

const endpoint = {
  id: '5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11',
  tenantId: 'acme',
  url: 'https://hooks.example.com/in',
  description: '',
  eventTypes: ['*'],
  secrets: [],
  headers: {},
  enabled: true,
  timeoutMs: 10_000,
  version: 1,
  updatedAt: '2026-11-22T10:00:00Z',
};

describe('EndpointConfigSchema retryPolicy', () => {
  it('reads a message from before per-endpoint policies as the default (null)', () => {
    expect(EndpointConfigSchema.parse(endpoint).retryPolicy).toBeNull();
  });

  it('carries either form in milliseconds', () => {
    for (const retryPolicy of [{ delaysMs: [1000, 2000] }, { initialMs: 1000, factor: 2, maxDelayMs: 60_000, attempts: 5 }]) {
      expect(EndpointConfigSchema.parse({ ...endpoint, retryPolicy }).retryPolicy).toEqual(retryPolicy);
    }
  });

  it.each([
    [{ delays: ['1s'] }],
    [{ delaysMs: [-5] }],
    [{ initialMs: 1000, factor: 0.5, maxDelayMs: 1000, attempts: 2 }],
    [{ initialMs: 1000, factor: 2, maxDelayMs: 1000, attempts: 0 }],
  ])('refuses %j', (retryPolicy) => {
    expect(EndpointRetryPolicySchema.safeParse(retryPolicy).success).toBe(false);
  });
});
