import { isIP } from 'node:net';
import { checkAddress, type EgressPolicy } from './address';

export type HostCheck = { ok: true; kind: 'ip'; address: string } | { ok: true; kind: 'name'; name: string } | { ok: false; reason: string };

// Names of metadata services, refused even with allowPrivateTargets (see address.ts).
const METADATA_NAMES = new Set([
  'metadata.google.internal',
  'metadata', // GCE resolves the bare name through its search domain
  'instance-data', // AWS, through the same trick
  'instance-data.ec2.internal',
  'metadata.tencentyun.com',
]);

// Suffixes that are not delegated in the public DNS (RFC 6761, 6762, 8375,
// ICANN's .internal, and the names ICANN will never delegate because private
// networks already use them). A name under one of them that resolves at all
// resolved through a private resolver, so it names an internal host.
const INTERNAL_SUFFIXES = [
  'localhost',
  'local',
  'internal',
  'svc',
  'cluster.local',
  'home.arpa',
  'localdomain',
  'lan',
  'home',
  'corp',
  'intranet',
  'private',
  'test',
  'invalid',
  'example',
  'onion',
];

/**
 * Checks the host of a URL as WHATWG URL parsing leaves it (lowercase,
 * punycode, IPv4 in dotted-quad form, IPv6 in brackets). An IP literal is
 * checked as an address; a name is checked against the internal suffixes and
 * must have at least two labels, because a single label is resolved through
 * the machine's search domains (`kafka`, `postgres`, `metadata`).
 */
export function checkHost(hostname: string, policy: EgressPolicy): HostCheck {
  const unbracketed = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  if (isIP(unbracketed) !== 0) {
    const address = checkAddress(unbracketed, policy);
    return address.ok ? { ok: true, kind: 'ip', address: address.address } : address;
  }

  // A trailing dot (`localhost.`) makes a name absolute; it names the same host.
  const name = unbracketed.toLowerCase().replace(/\.+$/, '');
  if (name === '' || name.split('.').some((label) => label === '')) {
    return { ok: false, reason: `${JSON.stringify(hostname)} is not a valid host name` };
  }
  if (METADATA_NAMES.has(name)) return { ok: false, reason: `${name} is a cloud metadata host` };
  if (policy.allowPrivateTargets) return { ok: true, kind: 'name', name };

  const suffix = INTERNAL_SUFFIXES.find((s) => name === s || name.endsWith(`.${s}`));
  if (suffix) return { ok: false, reason: `${name} is an internal name (.${suffix} is not a public domain)` };
  if (!name.includes('.')) {
    return { ok: false, reason: `${name} is a single-label name, resolved through local search domains` };
  }
  return { ok: true, kind: 'name', name };
}
