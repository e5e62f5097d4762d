import { REDACTED, withoutCredentials } from './request-headers';

describe(withoutCredentials.name, () => {
  it("hides custom headers that carry a receiver's credentials and shows Hookline's own headers, signatures included", () => {
    const sent = {
      Authorization: 'Bearer receiver-token',
      'X-Api-Key': 'k_123',
      'x-session-cookie': 'c',
      'X-Team': 'billing',
      'webhook-id': 'evt_1',
      'webhook-timestamp': '1790000000',
      'webhook-signature': 'v1,abc=',
      'x-hookline-signature': 'sha256=00',
      'x-hookline-key-id': 'kid',
      'idempotency-key': 'd1',
      'content-type': 'application/json',
    };
    expect(withoutCredentials(sent)).toEqual({
      ...sent,
      Authorization: REDACTED,
      'X-Api-Key': REDACTED,
      'x-session-cookie': REDACTED,
    });
  });
});
