import { checkAddress } from './address';

const production = { allowPrivateTargets: false };

// What a resolver may answer: checkAddress sees raw strings, not URL-normalized hosts.
describe(checkAddress.name, () => {
  it.each(['0x7f.1', '127.1', '0177.0.0.1', '2130706433', '', 'localhost', '[::1]'])(
    'refuses %j, which is not a plain IP address (inet_aton would read some of these as 127.0.0.1)',
    (answer) => {
      expect(checkAddress(answer, production)).toEqual({ ok: false, reason: expect.stringMatching(/is not an IP address/) });
    },
  );

  it('checks an IPv6 address with a zone id by its address', () => {
    expect(checkAddress('fe80::1%eth0', production)).toEqual({ ok: false, reason: 'fe80::1 is a link-local address' });
  });

  it('refuses IPv6 outside the global unicast space 2000::/3, which ipaddr.js calls unicast', () => {
    expect(checkAddress('4000::1', production)).toEqual({ ok: false, reason: expect.stringMatching(/outside the global unicast space/) });
  });

  it.each(['2001:2::1', '2001:3::1', '2001:10::1', '2001:20::1', '2620:4f:8000::1', '3fff::1', '100::1', '5f00::1'])(
    'refuses the IETF special-use IPv6 address %s',
    (address) => {
      expect(checkAddress(address, production).ok).toBe(false);
    },
  );

  it.each(['192.0.0.8', '192.31.196.1', '192.52.193.1', '192.88.99.1', '198.51.100.7', '203.0.113.9'])(
    'refuses the IETF special-use IPv4 address %s',
    (address) => {
      expect(checkAddress(address, production).ok).toBe(false);
    },
  );

  it('names the public IPv4 address an IPv4-mapped form carries, and still refuses it', () => {
    expect(checkAddress('::ffff:1.1.1.1', production)).toEqual({
      ok: false,
      reason: '::ffff:101:101 is an IPv4-mapped IPv6 address carrying 1.1.1.1; use 1.1.1.1 itself',
    });
  });

  it.each([
    ['93.184.216.34', 4],
    ['8.8.8.8', 4],
    ['2606:4700::1111', 6],
    ['2a00:1450:4001:80b::200e', 6],
  ] as const)('accepts the public address %s', (address, family) => {
    expect(checkAddress(address, production)).toEqual({ ok: true, address, family });
  });

  it('accepts private and loopback addresses for local development, but never metadata', () => {
    const development = { allowPrivateTargets: true };
    expect(checkAddress('127.0.0.1', development).ok).toBe(true);
    expect(checkAddress('::1', development).ok).toBe(true);
    expect(checkAddress('10.1.2.3', development).ok).toBe(true);
    expect(checkAddress('169.254.169.254', development).ok).toBe(false);
    expect(checkAddress('::ffff:169.254.169.254', development).ok).toBe(false);
    expect(checkAddress('fd00:ec2::254', development).ok).toBe(false);
  });
});
