import { checkTargetUrl } from './target-url';

const production = { allowPrivateTargets: false };
const development = { allowPrivateTargets: true };

// Pure parsing and checking: nothing here resolves a name or opens a socket.
describe(checkTargetUrl.name, () => {
  // [what it is, the URL as a tenant would type it, what the reason must say]
  const hostile: Array<[string, string, RegExp]> = [
    ['not a URL at all', 'not a url', /not a valid URL/],
    ['plain http in production', 'http://example.com/hooks', /must use https/],
    ['ftp', 'ftp://example.com/', /must use https/],
    ['file', 'file:///etc/passwd', /must use https/],
    ['gopher to Redis', 'gopher://127.0.0.1:6379/_FLUSHALL', /must use https/],
    ['credentials in the URL', 'https://user:secret@example.com/hooks', /credentials/],
    ['userinfo that looks like the host', 'https://example.com@127.0.0.1/', /credentials/],
    ['loopback 127.0.0.1', 'https://127.0.0.1/', /127\.0\.0\.1 is a loopback/],
    ['loopback elsewhere in 127/8', 'https://127.255.255.254/', /loopback/],
    ['loopback as a decimal integer', 'https://2130706433/', /127\.0\.0\.1 is a loopback/],
    ['loopback as one hex integer', 'https://0x7f000001/', /127\.0\.0\.1 is a loopback/],
    ['loopback in shortened hex', 'https://0x7f.1/', /127\.0\.0\.1 is a loopback/],
    ['loopback in octal', 'https://0177.0.0.1/', /127\.0\.0\.1 is a loopback/],
    ['loopback shortened to two parts', 'https://127.1/', /127\.0\.0\.1 is a loopback/],
    ['loopback with zero-padded parts', 'https://127.000.000.01/', /127\.0\.0\.1 is a loopback/],
    ['loopback with a trailing dot', 'https://127.0.0.1./', /127\.0\.0\.1 is a loopback/],
    ['loopback behind a backslash-userinfo parser trick', 'https://127.0.0.1:443\\@example.com/', /127\.0\.0\.1 is a loopback/],
    ['IPv6 loopback ::1', 'https://[::1]/', /::1 is a loopback/],
    ['IPv6 loopback written out in full', 'https://[0:0:0:0:0:0:0:1]/', /::1 is a loopback/],
    ['0 (means 0.0.0.0, which reaches the local host)', 'https://0/', /0\.0\.0\.0 is an unspecified/],
    ['unspecified 0.0.0.0', 'https://0.0.0.0/', /unspecified/],
    ['unspecified ::', 'https://[::]/', /unspecified/],
    ['RFC 1918 10/8', 'https://10.0.0.1/', /private/],
    ['RFC 1918 172.16/12', 'https://172.16.0.1/', /private/],
    ['RFC 1918 192.168/16', 'https://192.168.1.1/', /private/],
    ['carrier-grade NAT 100.64/10', 'https://100.64.0.1/', /carrier-grade NAT/],
    ['link-local 169.254/16', 'https://169.254.1.1/', /link-local/],
    ['AWS/GCP/Azure metadata 169.254.169.254', 'https://169.254.169.254/latest/meta-data/', /cloud metadata/],
    ['metadata in octal', 'https://0251.0376.0251.0376/', /169\.254\.169\.254 is a cloud metadata/],
    ['metadata as a decimal integer', 'https://2852039166/', /169\.254\.169\.254 is a cloud metadata/],
    ['metadata as one hex integer', 'https://0xa9fea9fe/', /169\.254\.169\.254 is a cloud metadata/],
    ['AWS ECS task metadata', 'https://169.254.170.2/v2/credentials', /cloud metadata/],
    ['Alibaba Cloud metadata 100.100.100.200', 'https://100.100.100.200/latest/meta-data/', /cloud metadata/],
    ['Azure WireServer 168.63.129.16 (a public address)', 'https://168.63.129.16/', /cloud metadata/],
    ['AWS metadata over IPv6 fd00:ec2::254', 'https://[fd00:ec2::254]/', /cloud metadata/],
    ['unique local fc00::/7', 'https://[fc00::1]/', /unique local/],
    ['IPv6 link-local fe80::/10', 'https://[fe80::1]/', /link-local/],
    ['IPv6 site-local fec0::/10', 'https://[fec0::1]/', /site-local/],
    ['multicast 224/4', 'https://224.0.0.1/', /multicast/],
    ['IPv6 multicast', 'https://[ff02::1]/', /multicast/],
    ['broadcast 255.255.255.255', 'https://255.255.255.255/', /broadcast/],
    ['documentation 192.0.2/24', 'https://192.0.2.1/', /reserved/],
    ['benchmarking 198.18/15', 'https://198.18.0.1/', /reserved/],
    ['reserved 240/4', 'https://240.0.0.1/', /reserved/],
    ['IPv6 documentation 2001:db8::/32', 'https://[2001:db8::1]/', /reserved/],
    ['IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]/', /IPv4-mapped IPv6 address carrying 127\.0\.0\.1, a loopback/],
    ['IPv4-mapped metadata in hex', 'https://[::ffff:a9fe:a9fe]/', /IPv4-mapped .* 169\.254\.169\.254, a cloud metadata/],
    ['IPv4-mapped public address (use the IPv4 address)', 'https://[::ffff:93.184.216.34]/', /IPv4-mapped IPv6 address carrying 93\.184\.216\.34/],
    ['IPv4-translated ::ffff:0:a.b.c.d', 'https://[::ffff:0:7f00:1]/', /IPv4-translated .* 127\.0\.0\.1/],
    ['IPv4-compatible ::a.b.c.d', 'https://[::127.0.0.1]/', /IPv4-compatible .* 127\.0\.0\.1/],
    ['NAT64 of loopback', 'https://[64:ff9b::7f00:1]/', /NAT64 .* 127\.0\.0\.1, a loopback/],
    ['NAT64 of 10.0.0.1', 'https://[64:ff9b::10.0.0.1]/', /NAT64 .* 10\.0\.0\.1, a private/],
    ['local-use NAT64 64:ff9b:1::/48', 'https://[64:ff9b:1::a9fe:a9fe]/', /NAT64/],
    ['6to4 of loopback', 'https://[2002:7f00:1::]/', /6to4 .* 127\.0\.0\.1, a loopback/],
    ['6to4 of metadata', 'https://[2002:a9fe:a9fe::1]/', /6to4 .* 169\.254\.169\.254, a cloud metadata/],
    ['Teredo with an obfuscated loopback client', 'https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/', /Teredo .* 127\.0\.0\.1, a loopback/],
    ['localhost', 'https://localhost/', /localhost is an internal name/],
    ['LOCALHOST. (case and trailing dot)', 'https://LOCALHOST./', /localhost is an internal name/],
    ['localhost with several trailing dots', 'https://localhost../', /localhost is an internal name/],
    ['a *.localhost name', 'https://api.localhost/', /\.localhost/],
    ['localhost in fullwidth-circled Unicode', 'https://ⓛⓞⓒⓐⓛⓗⓞⓢⓣ/', /localhost is an internal name/],
    ['localhost percent-encoded', 'https://%6c%6f%63%61%6c%68%6f%73%74/', /localhost is an internal name/],
    ['mDNS *.local', 'https://printer.local/', /\.local is not/],
    ['*.internal', 'https://db.internal/', /\.internal is not/],
    ['GCP metadata name', 'https://metadata.google.internal/computeMetadata/v1/', /cloud metadata host/],
    ['GCP metadata name with a trailing dot', 'https://metadata.google.internal./', /cloud metadata host/],
    ['Kubernetes service *.svc', 'https://payments.default.svc/', /\.svc is not/],
    ['Kubernetes service *.svc.cluster.local', 'https://payments.default.svc.cluster.local/', /\.local is not/],
    ['home network *.home.arpa', 'https://router.home.arpa/', /\.home\.arpa is not/],
    ['single-label name (search-domain lookup)', 'https://kafka/', /single-label/],
    ['a name with an empty label', 'https://hooks..example.com/', /not a valid host name/],
  ];

  it.each(hostile)('refuses %s: %s', (_what, url, reason) => {
    const result = checkTargetUrl(url, production);
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(reason) });
  });

  it.each([
    'https://example.com/hooks',
    'https://93.184.216.34/x',
    'https://hooks.example.com:8443/in?source=hookline',
    'https://EXAMPLE.com./hooks',
    'https://api.stripe.com/v1/webhook_endpoints',
    'https://bücher.de/hooks',
    'https://8.8.8.8/',
    'https://[2606:2800:220:1:248:1893:25c8:1946]/x',
    'https://[2001:4860:4860::8888]/',
  ])('accepts the ordinary public URL %s', (url) => {
    const result = checkTargetUrl(url, production);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.url.href).toBe(new URL(url).href);
  });

  describe('with allowPrivateTargets (local development)', () => {
    it.each([
      'http://localhost:3000/hooks',
      'http://127.0.0.1:8080/',
      'http://[::1]:8080/',
      'http://10.0.0.5/hooks',
      'http://receiver:4000/hooks',
      'http://receiver.svc.cluster.local/',
    ])('accepts %s', (url) => {
      expect(checkTargetUrl(url, development).ok).toBe(true);
    });

    it.each([
      ['metadata 169.254.169.254', 'http://169.254.169.254/', /cloud metadata/],
      ['metadata in decimal', 'http://2852039166/', /cloud metadata/],
      ['IPv4-mapped metadata', 'http://[::ffff:169.254.169.254]/', /cloud metadata/],
      ['NAT64 metadata', 'http://[64:ff9b::a9fe:a9fe]/', /cloud metadata/],
      ['AWS IPv6 metadata', 'http://[fd00:ec2::254]/', /cloud metadata/],
      ['GCP metadata name', 'http://metadata.google.internal/', /cloud metadata/],
      ['bare metadata name', 'http://metadata/', /cloud metadata/],
      ['credentials', 'http://user:pw@localhost/', /credentials/],
      ['ftp', 'ftp://localhost/', /must use http or https/],
    ])('still refuses %s', (_what, url, reason) => {
      expect(checkTargetUrl(url, development)).toEqual({ ok: false, reason: expect.stringMatching(reason) });
    });
  });
});
