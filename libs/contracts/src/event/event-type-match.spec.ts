import { matchesEventType } from './event-type-match';

describe(matchesEventType.name, () => {
  it.each([
    [['*'], 'invoice.paid', true],
    [['invoice.paid'], 'invoice.paid', true],
    [['invoice.paid'], 'invoice.paid.late', false],
    [['invoice.*'], 'invoice.paid', true],
    [['invoice.*'], 'invoice.payment.failed', true],
    [['invoice.*'], 'invoice', false],
    [['invoice.*'], 'invoices.paid', false],
    [['ticket.created', 'invoice.*'], 'ticket.created', true],
    [[], 'invoice.paid', false],
    [['*'], 'delivery.exhausted', false],
    [['*'], 'endpoint.disabled', false],
    [['*', 'delivery.exhausted'], 'delivery.exhausted', true],
    [['endpoint.*'], 'endpoint.disabled', true],
    [['endpoint.*'], 'endpoint.resumed', true],
    [['endpoint.*'], 'delivery.exhausted', false],
    [['delivery.*'], 'delivery.exhausted', true],
    [['endpoint.*', 'delivery.exhausted'], 'delivery.exhausted', true],
  ])('%j matches %s: %s', (patterns, type, expected) => {
    expect(matchesEventType(patterns, type)).toBe(expected);
  });
});
