import type { EgressPolicy } from './address';
import { checkHost } from './host';

export type TargetUrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

/**
 * The create/update-time check of an endpoint URL; `reason` is written for the
 * tenant (admin-api returns it with a 422).
 *
 * It needs no DNS: the URL is parsed the way undici will parse it (WHATWG
 * URL, which turns `2130706433`, `0x7f.1` and `0177.0.0.1` into `127.0.0.1`
 * before anything looks at them), then its scheme, credentials and host are
 * checked. A public-looking name that resolves to a private address
 * (`127.0.0.1.nip.io`) passes here and is refused by the safe agent at connect
 * time, where the answer that counts is known.
 */
export function checkTargetUrl(raw: string, policy: EgressPolicy): TargetUrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'not a valid URL' };
  }

  if (url.protocol !== 'https:' && !(policy.allowPrivateTargets && url.protocol === 'http:')) {
    const allowed = policy.allowPrivateTargets ? 'http or https' : 'https';
    return { ok: false, reason: `the URL must use ${allowed} (got ${url.protocol.replace(/:$/, '')})` };
  }

  // Refused rather than stripped: credentials in a URL end up in delivery
  // logs and the dashboard, and `https://trusted@evil` is the classic way to
  // make a reader see the wrong host. Custom headers carry auth instead.
  if (url.username !== '' || url.password !== '') {
    return { ok: false, reason: 'the URL must not contain credentials (user:password@); send them in a custom header' };
  }

  const host = checkHost(url.hostname, policy);
  if (!host.ok) return { ok: false, reason: host.reason };
  return { ok: true, url };
}
