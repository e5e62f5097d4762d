import { validateEventInput } from './event-input';

describe(validateEventInput.name, () => {
  const valid = { tenantId: 'acme', type: 'invoice.paid', data: { amount: 1 } };

  it('accepts a minimal event and an event with id and occurredAt', () => {
    expect(validateEventInput(valid)).toEqual({ ok: true, value: valid });
    expect(validateEventInput({ ...valid, id: 'inv_1:paid', occurredAt: '2026-11-22T10:00:00+01:00' }).ok).toBe(true);
  });

  it.each([
    [{ ...valid, type: 'Invoice Paid' }, 'type', 'dot-separated lowercase'],
    [{ ...valid, tenantId: '' }, 'tenantId', '1-64 characters'],
    [{ ...valid, data: [1, 2] }, 'data', 'JSON object'],
    [{ ...valid, id: 'has space' }, 'id', '1-128 characters'],
    [{ ...valid, occurredAt: 'yesterday' }, 'occurredAt', 'ISO 8601'],
    [{ ...valid, extra: 1 }, '(root)', 'unknown field(s): extra'],
    [{ tenantId: 'acme', data: {} }, 'type', ''],
    [{ ...valid, type: 'delivery.exhausted' }, 'type', "reserved for Hookline's own events"],
  ])('names the field and the rule: %j', (input, field, rule) => {
    const result = validateEventInput(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toContainEqual({ field, rule: expect.stringContaining(rule) });
  });

  it('prefixes fields with their place in a batch', () => {
    const result = validateEventInput({ ...valid, type: 'BAD' }, 'events.3');
    expect(result).toEqual({ ok: false, issues: [{ field: 'events.3.type', rule: expect.any(String) }] });
  });

  it('refuses a payload over 256 KiB, naming its size', () => {
    const result = validateEventInput({ ...valid, data: { a: 'x'.repeat(128 * 1024), b: 'x'.repeat(128 * 1024) } });
    expect(result).toEqual({ ok: false, issues: [{ field: 'data', rule: expect.stringMatching(/at most 262144 bytes as JSON \(got 2621\d\d\)/) }] });
  });
});
