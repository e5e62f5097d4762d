import { Webhook } from 'standardwebhooks';
import { generateSecret, signStandardWebhooks } from './standard-webhooks';

describe(signStandardWebhooks.name, () => {
  it('matches the Standard Webhooks test vector', () => {
    expect(
      signStandardWebhooks({
        secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
        id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
        timestamp: 1614265330,
        body: '{"test": 2432232314}',
      }),
    ).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('verifies with the standardwebhooks package, with either secret during a rotation', () => {
    const [oldSecret, newSecret] = [generateSecret(), generateSecret()];
    const timestamp = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({ id: 'evt_1', data: { amount: 10 } });
    const signature = signStandardWebhooks({ secrets: [oldSecret, newSecret], id: 'evt_1', timestamp, body });
    const headers = { 'webhook-id': 'evt_1', 'webhook-timestamp': String(timestamp), 'webhook-signature': signature };
    expect(signature.split(' ')).toHaveLength(2);
    for (const secret of [oldSecret, newSecret]) {
      expect(new Webhook(secret).verify(body, headers)).toEqual({ id: 'evt_1', data: { amount: 10 } });
    }
    expect(() => new Webhook(generateSecret()).verify(body, headers)).toThrow();
    expect(() => new Webhook(newSecret).verify(body.replace('10', '11'), headers)).toThrow();
  });

  it('signs a Buffer body exactly like the same bytes as a string', () => {
    const input = { secrets: [generateSecret()], id: 'evt_1', timestamp: 1614265330 };
    expect(signStandardWebhooks({ ...input, body: Buffer.from('{"a":"é"}') })).toBe(signStandardWebhooks({ ...input, body: '{"a":"é"}' }));
  });

  it('refuses to sign without a secret', () => {
    expect(() => signStandardWebhooks({ secrets: [], id: 'a', timestamp: 1, body: '' })).toThrow('no secret');
  });
});
