import { attemptIdFor, DeliveryIdSchema, deliveryIdFor, EndpointIdSchema, EventIdSchema, newEventId, TenantIdSchema, type EndpointId } from './ids';

const tenant = TenantIdSchema.parse('acme');
const event = EventIdSchema.parse('evt_1');
const endpoint = EndpointIdSchema.parse('5b7c7a0e-8a3c-4d0e-9a53-1f6f2a4e9c11');

describe('ids', () => {
  it('derives the same delivery and attempt ids from the same inputs, and other ids from other inputs', () => {
    const delivery = deliveryIdFor(tenant, event, endpoint);
    expect(deliveryIdFor(tenant, event, endpoint)).toBe(delivery);
    expect(DeliveryIdSchema.safeParse(delivery).success).toBe(true);
    expect(deliveryIdFor(tenant, EventIdSchema.parse('evt_2'), endpoint)).not.toBe(delivery);
    expect(attemptIdFor(delivery, 1)).toBe(attemptIdFor(delivery, 1));
    expect(attemptIdFor(delivery, 2)).not.toBe(attemptIdFor(delivery, 1));
  });

  it('keeps the derived ids stable across versions (changing them would duplicate deliveries after an upgrade)', () => {
    expect(deliveryIdFor(tenant, event, endpoint)).toBe('8d237d98-5a63-54bd-983f-9e099473a39f');
  });

  it('makes time-ordered event ids that pass their own schema', () => {
    const first = newEventId();
    const second = newEventId();
    expect(EventIdSchema.safeParse(first).success).toBe(true);
    expect(first < second).toBe(true);
  });

  it.each([
    [TenantIdSchema, 'has space'],
    [TenantIdSchema, '-leading-dash'],
    [EventIdSchema, 'x'.repeat(129)],
    [EndpointIdSchema, 'not-a-uuid'],
  ])('refuses an id that breaks its rule (%#)', (schema, value) => {
    expect(schema.safeParse(value).success).toBe(false);
  });

  it('does not accept one kind of id for another', () => {
    // @ts-expect-error an endpoint id is not an event id
    const swapped = deliveryIdFor(tenant, endpoint, endpoint as EndpointId);
    expect(typeof swapped).toBe('string');
  });
});
