import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

export type AddressCheck = { ok: true; address: string; family: 4 | 6 } | { ok: false; reason: string };

export interface EgressPolicy {
  /** Local development only: lifts the https-only rule and the private/loopback refusals, never the metadata one. */
  allowPrivateTargets: boolean;
}

// Cloud instance metadata and host-agent endpoints. Most sit in ranges refused
// anyway; they are listed so the reason names them, and because they stay
// refused with allowPrivateTargets: a developer laptop may be a cloud VM, and
// credentials from these endpoints are the prize of every SSRF. 168.63.129.16
// (Azure WireServer) is a public address, so only this list catches it.
const METADATA_ADDRESSES = new Set(
  [
    '169.254.169.254', // AWS, GCP, Azure, DigitalOcean, OpenStack, Oracle, Hetzner …
    '169.254.170.2', // AWS ECS task metadata and credentials
    '169.254.170.23', // AWS EKS Pod Identity agent
    '169.254.0.23', // Tencent Cloud
    '100.100.100.200', // Alibaba Cloud
    '168.63.129.16', // Azure WireServer
    '192.0.0.192', // Oracle Cloud (legacy)
    'fd00:ec2::254', // AWS IMDS over IPv6
    'fd00:ec2::23', // AWS EKS Pod Identity agent over IPv6
  ].map((a) => ipaddr.parse(a).toString()),
);

const RANGE_LABELS: Record<string, string> = {
  unspecified: 'an unspecified address',
  broadcast: 'the broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address',
  loopback: 'a loopback address',
  carrierGradeNat: 'a carrier-grade NAT address (100.64.0.0/10)',
  private: 'a private address (RFC 1918)',
  uniqueLocal: 'a private address (unique local, fc00::/7)',
  reserved: 'a reserved address (documentation, benchmarking or IETF special use)',
  benchmarking: 'a benchmarking address',
  as112: 'an AS112 address',
  as112v6: 'an AS112 address',
  amt: 'an AMT relay address',
  deprecatedSiteLocal: 'a site-local address (fec0::/10)',
  discard: 'a discard-only address (100::/64)',
  rfc6145: 'an IPv4-translated address (::ffff:0:0:0/96)',
  deprecatedOrchid: 'an ORCHID address',
  orchid2: 'an ORCHID address',
  droneRemoteIdProtocolEntityTags: 'a DRIP entity tag',
  segmentRouting: 'a segment-routing SID (5f00::/16)',
};

function v4FromParts(hi: number, lo: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
}

/** The IPv4 address an IPv6 transition form carries, and what the form is. */
function embeddedIPv4(ip: ipaddr.IPv6, range: string): { form: string; v4: ipaddr.IPv4 } | undefined {
  const p = ip.parts;
  switch (range) {
    case 'ipv4Mapped':
      return { form: 'an IPv4-mapped IPv6 address', v4: ip.toIPv4Address() };
    case 'rfc6145':
      return { form: 'an IPv4-translated IPv6 address', v4: v4FromParts(p[6], p[7]) };
    case 'rfc6052':
      return { form: 'a NAT64 address (64:ff9b::/96)', v4: v4FromParts(p[6], p[7]) };
    case '6to4':
      return { form: 'a 6to4 address (2002::/16)', v4: v4FromParts(p[1], p[2]) };
    case 'teredo':
      // The Teredo client address is stored bit-inverted ("obfuscated").
      return { form: 'a Teredo address (2001::/32)', v4: v4FromParts(p[6] ^ 0xffff, p[7] ^ 0xffff) };
  }
  // IPv4-compatible (::a.b.c.d, deprecated by RFC 4291): ipaddr.js calls it
  // unicast, but some stacks still route it to the IPv4 address.
  if (p.slice(0, 6).every((x) => x === 0)) return { form: 'an IPv4-compatible IPv6 address (::/96)', v4: v4FromParts(p[6], p[7]) };
  return undefined;
}

function describeV4(v4: ipaddr.IPv4): string {
  const s = v4.toString();
  if (METADATA_ADDRESSES.has(s)) return `${s}, a cloud metadata address`;
  const range = v4.range();
  return range === 'unicast' ? `${s}; use ${s} itself` : `${s}, ${RANGE_LABELS[range] ?? range}`;
}

/**
 * Decides whether an IP address may be connected to. `address` must be a
 * plain IPv4 dotted quad or an IPv6 address (zone id allowed): anything else,
 * including the shortened, octal and hex IPv4 spellings that inet_aton would
 * accept, is refused, so a resolver cannot smuggle one past the check.
 *
 * Only ipaddr.js's `unicast` is public, and for IPv6 only inside the global
 * unicast space 2000::/3. IPv6 forms that carry an IPv4 address (mapped,
 * NAT64, 6to4, Teredo, compatible) are refused whatever they carry: a real
 * webhook receiver is reachable at the plain IPv4 address, and these forms are
 * how an attacker dresses up 127.0.0.1. The reason names the carried address.
 */
export function checkAddress(address: string, policy: EgressPolicy): AddressCheck {
  const family = isIP(address);
  if (family === 0) return { ok: false, reason: `${JSON.stringify(address)} is not an IP address` };
  const ip = ipaddr.parse(address);
  const text = ip.toString();

  if (ip instanceof ipaddr.IPv4) {
    if (METADATA_ADDRESSES.has(text)) return { ok: false, reason: `${text} is a cloud metadata address` };
    if (policy.allowPrivateTargets) return { ok: true, address: text, family: 4 };
    const range = ip.range();
    if (range !== 'unicast') return { ok: false, reason: `${text} is ${RANGE_LABELS[range] ?? `a ${range} address`}` };
    return { ok: true, address: text, family: 4 };
  }

  const v6 = ip as ipaddr.IPv6;
  // The zone id only picks an interface; the check is on the address.
  const bare = new ipaddr.IPv6(v6.parts).toString();
  if (METADATA_ADDRESSES.has(bare)) return { ok: false, reason: `${bare} is a cloud metadata address` };
  const range = v6.range() as string;
  const embedded = embeddedIPv4(v6, range);
  if (embedded && METADATA_ADDRESSES.has(embedded.v4.toString())) {
    return { ok: false, reason: `${bare} is ${embedded.form} carrying ${describeV4(embedded.v4)}` };
  }
  if (policy.allowPrivateTargets) return { ok: true, address: text, family: 6 };
  if (embedded && range !== 'unspecified' && range !== 'loopback') {
    return { ok: false, reason: `${bare} is ${embedded.form} carrying ${describeV4(embedded.v4)}` };
  }
  if (range !== 'unicast') return { ok: false, reason: `${bare} is ${RANGE_LABELS[range] ?? `a ${range} address`}` };
  if (v6.parts[0] >> 13 !== 0b001) return { ok: false, reason: `${bare} is outside the global unicast space 2000::/3` };
  return { ok: true, address: text, family: 6 };
}
