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

describe('EndpointConfigSchema rateLimit and maxInFlight', () => {
  it('reads a message from before rate limits as no limit and the dispatcher cap (null)', () => {
    expect(EndpointConfigSchema.parse(endpoint)).toMatchObject({ rateLimit: null, maxInFlight: null });
  });

  it('carries a fractional rate with its burst, and a cap', () => {
    const parsed = EndpointConfigSchema.parse({ ...endpoint, rateLimit: { perSecond: 0.5, burst: 1 }, maxInFlight: 2 });
    expect(parsed).toMatchObject({ rateLimit: { perSecond: 0.5, burst: 1 }, maxInFlight: 2 });
  });

  it.each([
    [{ rateLimit: { perSecond: 0, burst: 1 } }],
    [{ rateLimit: { perSecond: 5 } }],
    [{ rateLimit: { perSecond: 5, burst: 0.5 } }],
    [{ maxInFlight: 0 }],
    [{ maxInFlight: 1.5 }],
  ])('refuses %j', (fields) => {
    expect(EndpointConfigSchema.safeParse({ ...endpoint, ...fields }).success).toBe(false);
  });
});
