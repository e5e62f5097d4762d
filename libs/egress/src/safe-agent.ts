import { promises as dns } from 'node:dns';
import type { ConnectionOptions } from 'node:tls';
import { Agent, buildConnector } from 'undici';
import { checkAddress, type EgressPolicy } from './address';
import { EgressBlockedError, type EgressBlockedInfo } from './egress-blocked.error';
import { checkHost } from './host';

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Every address a host name resolves to. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

/** TLS and socket options for the connections; never where to connect. */
export type SafeConnectOptions = Omit<ConnectionOptions, 'host' | 'port' | 'path' | 'socket' | 'servername' | 'lookup' | 'timeout'> & {
  timeout?: number | null;
  maxCachedSessions?: number | null;
  keepAlive?: boolean | null;
  keepAliveInitialDelay?: number | null;
};

export interface SafeAgentOptions extends Omit<
  Agent.Options,
  'connect' | 'factory' | 'socketPath' | 'tls' | 'autoSelectFamily' | 'autoSelectFamilyAttemptTimeout'
> {
  /** Local development only: allows http and private/loopback targets (cloud metadata stays refused). */
  allowPrivateTargets: boolean;
  /** Default: `dns.promises.lookup(hostname, { all: true })`. */
  lookup?: Resolver;
  /** Called once per refused connection, before the request fails with an `EgressBlockedError`. */
  onBlocked?: (info: EgressBlockedInfo) => void;
  connect?: SafeConnectOptions;
  /**
   * Opens a socket to an address that has passed the checks; `hostname` is
   * always that IP address. Default: undici's `buildConnector(connect)`.
   * A seam for tests, which must never open a socket to a non-loopback address.
   */
  socketConnector?: buildConnector.connector;
}

// After a socket-level failure the next checked address is tried, as Node
// would do for a host name (a host with an AAAA record but no IPv6 route must
// still be reachable over IPv4). Capped so that a name with many dead
// addresses cannot hold a connection attempt for many connect timeouts.
const MAX_ADDRESSES_TRIED = 3;
const TRY_NEXT_ADDRESS = new Set(['ECONNREFUSED', 'ENETUNREACH', 'EHOSTUNREACH', 'EADDRNOTAVAIL', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT']);

const defaultLookup: Resolver = (hostname) => dns.lookup(hostname, { all: true });

/**
 * An undici Agent whose every new connection is checked at connect time: the
 * scheme and host name, then every address the name resolves to. One
 * resolution serves both the check and the connection: the socket is opened
 * to the checked IP address itself (TLS SNI and certificate verification still
 * use the name, and undici writes the Host header from the URL), so a DNS
 * answer that changes between check and connect (rebinding) has nothing to
 * change. IP-literal URLs are checked as addresses, without DNS.
 *
 * A name with any refused address is refused as a whole rather than trimmed
 * to its public addresses: such a name is misconfigured or hostile, and the
 * tenant should hear about it.
 *
 * Redirects are not followed: undici's `request()` never follows them (v7 only
 * follows through `interceptors.redirect`, which this agent does not compose),
 * so a 3xx comes back as the response. `fetch()` does follow by default; each
 * hop would still pass these checks, but use `redirect: 'manual'`.
 */
export function createSafeAgent(options: SafeAgentOptions): Agent {
  refuseUncheckedOptions(options);
  const {
    allowPrivateTargets,
    lookup = defaultLookup,
    onBlocked,
    connect,
    socketConnector,
    connectTimeout,
    maxCachedSessions,
    allowH2,
    ...agentOptions
  } = options;
  const policy: EgressPolicy = { allowPrivateTargets };
  const openSocket = socketConnector ?? buildConnector({ allowH2, maxCachedSessions, timeout: connectTimeout, ...connect } as buildConnector.BuildOptions);

  const block = (target: buildConnector.Options, reason: string, address?: string): EgressBlockedError => {
    const info: EgressBlockedInfo = { hostname: target.hostname, port: target.port, protocol: target.protocol, reason };
    if (address !== undefined) info.address = address;
    try {
      onBlocked?.(info);
    } catch {
      // A failing log hook must not turn the refusal into some other error.
    }
    return new EgressBlockedError(info);
  };

  /** The addresses this connection may use, all checked; throws the refusal. */
  const checkedAddresses = async (target: buildConnector.Options): Promise<string[]> => {
    if (!allowPrivateTargets && target.protocol !== 'https:') {
      throw block(target, `only https targets are allowed (got ${target.protocol.replace(/:$/, '')})`);
    }
    const host = checkHost(target.hostname, policy);
    if (!host.ok) throw block(target, host.reason);
    // Node skips DNS for an IP literal, so this is the only check it gets.
    if (host.kind === 'ip') return [host.address];

    const answers = await lookup(target.hostname);
    if (answers.length === 0) {
      throw Object.assign(new Error(`${target.hostname} resolved to no address`), { code: 'ENOTFOUND' });
    }
    const addresses: string[] = [];
    for (const answer of answers) {
      const verdict = checkAddress(answer.address, policy);
      if (!verdict.ok) throw block(target, `${host.name} resolves to a refused address: ${verdict.reason}`, answer.address);
      if (!addresses.includes(verdict.address)) addresses.push(verdict.address);
    }
    return addresses;
  };

  const connectToChecked = (target: buildConnector.Options, addresses: string[], index: number, callback: buildConnector.Callback): void => {
    // `host` (name:port) stays as it was: undici's connector derives the TLS
    // servername from it, so SNI and certificate checks name the URL's host.
    const onSocket: buildConnector.Callback = (...result) => {
      const [error] = result;
      const code = (error as { code?: string } | null)?.code;
      const next = index + 1;
      if (error && code && TRY_NEXT_ADDRESS.has(code) && next < Math.min(addresses.length, MAX_ADDRESSES_TRIED)) {
        connectToChecked(target, addresses, next, callback);
        return;
      }
      callback(...result);
    };
    try {
      openSocket({ ...target, hostname: addresses[index] }, onSocket);
    } catch (error) {
      // undici catches a connector that throws, but this runs after the DNS
      // await, outside its try; without this the request would hang.
      callback(error as Error, null);
    }
  };

  const guardedConnect: buildConnector.connector = (target, callback) => {
    checkedAddresses(target).then(
      (addresses) => connectToChecked(target, addresses, 0, callback),
      (error: Error) => callback(error, null),
    );
  };

  return new Agent({ ...agentOptions, allowH2, connect: guardedConnect });
}

/**
 * Options that would open sockets around the checks (a Unix socket path, a
 * custom factory or connector, a fixed host or lookup) are refused, and so are
 * those the custom connector makes undici ignore (`tls`, `autoSelectFamily`):
 * loudly, so nobody believes they took effect.
 */
function refuseUncheckedOptions(options: SafeAgentOptions): void {
  const loose = options as unknown as Record<string, unknown> & { connect?: unknown };
  const refused = ['factory', 'socketPath', 'tls', 'autoSelectFamily', 'autoSelectFamilyAttemptTimeout'].filter((key) => loose[key] != null);
  if (typeof loose.connect === 'function') refused.push('connect (a function)');
  const connect = (typeof loose.connect === 'object' && loose.connect !== null ? loose.connect : {}) as Record<string, unknown>;
  for (const key of ['socketPath', 'path', 'host', 'port', 'lookup', 'servername']) if (connect[key] != null) refused.push(`connect.${key}`);
  if (refused.length > 0) {
    throw new TypeError(`createSafeAgent: unsupported option(s) ${refused.join(', ')}; the safe agent opens its sockets itself`);
  }
}
