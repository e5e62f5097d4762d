/**
 * The connect-time guard, over real sockets on 127.0.0.1 only.
 *
 * How these tests stay on loopback, and how they still show that the address
 * checked is the address connected to:
 *
 * - Every resolver is a fake; no test asks the real DNS.
 * - Any test that names a host opens its sockets through `jail` (below), so
 *   even a broken guard that handed the name to the OS could not send a DNS
 *   query or a packet anywhere. Only IP-literal loopback URLs use the agent's
 *   own socket connector.
 * - A "canary" is a local HTTP server that counts TCP connections. Every
 *   refused request points at a canary's port, so a guard that let the
 *   request through would open a connection to it, and the test would see it.
 * - `jail` is a socket connector that only connects to loopback. Asked for a
 *   non-loopback address it records the request and fails with a simulated
 *   ECONNREFUSED, so no packet ever leaves the machine, whatever the
 *   implementation does. Asked for a host *name* it does what the OS would do
 *   at connect time: resolves it again through the same fake resolver and
 *   connects to the answer. That is the DNS-rebinding bug: a guard that
 *   checked one answer and then let the socket resolve again would be handed
 *   the resolver's second answer (the canary) and reach it.
 *
 * The rebinding test therefore uses a resolver that answers a public address
 * first and 127.0.0.1 afterwards. The correct guard resolves once, checks the
 * public answer, and asks the socket for exactly that IP (the jail refuses it,
 * so the request fails as a network error); the canary sees nothing and the
 * resolver was called once.
 */
import { once } from 'node:events';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isIP } from 'node:net';
import { buildConnector, type Agent } from 'undici';
import { EgressBlockedError } from './egress-blocked.error';
import { createSafeAgent, type ResolvedAddress, type SafeAgentOptions } from './safe-agent';

// The harness of the safe-agent specs (not built, not exported).

export const PUBLIC_V4 = '93.184.216.34';
export const PUBLIC_V6 = '2606:2800:220:1:248:1893:25c8:1946';

export interface LocalServer {
  port: number;
  connections: number;
  requests: Array<{ url: string; host: string | undefined; servername?: string }>;
  server: Server;
}

const servers: Server[] = [];
const agents: Agent[] = [];

export async function listen(server: Server, handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<LocalServer> {
  const local: LocalServer = { port: 0, connections: 0, requests: [], server };
  server.on('connection', () => local.connections++);
  server.on('secureConnection', () => local.connections++);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const servername = (req.socket as { servername?: string | false }).servername;
    local.requests.push({ url: req.url ?? '', host: req.headers.host, ...(servername ? { servername } : {}) });
    handler(req, res);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  servers.push(server);
  local.port = (server.address() as AddressInfo).port;
  return local;
}

export const ok = (_req: IncomingMessage, res: ServerResponse) => res.end('ok');
/** A local server that must never be reached; every refusal in the specs aims at one. */
export const startCanary = () => listen(createHttpServer(), (_req, res) => res.end('canary reached'));

/** A scripted resolver: answer n is used for call n, the last one for every call after. */
export function scriptedResolver(...answers: string[][]) {
  const calls: string[] = [];
  const lookup = async (hostname: string): Promise<ResolvedAddress[]> => {
    const answer = answers[Math.min(calls.length, answers.length - 1)];
    calls.push(hostname);
    return answer.map((address) => ({ address, family: isIP(address) }));
  };
  return { lookup, calls };
}

const isLoopback = (address: string) => address === '::1' || address.startsWith('127.');

/** A socket connector that only ever connects to loopback; see the top of the file. */
export function jail(lookup: (hostname: string) => Promise<ResolvedAddress[]>, connectOptions: buildConnector.BuildOptions = {}) {
  const real = buildConnector(connectOptions);
  const asked: string[] = [];
  const connector: buildConnector.connector = (target, callback) => {
    asked.push(target.hostname);
    const connectTo = (address: string) => {
      if (isLoopback(address)) return real({ ...target, hostname: address }, callback);
      const refused = Object.assign(new Error(`connect ECONNREFUSED ${address} (simulated: tests stay on loopback)`), { code: 'ECONNREFUSED' });
      setImmediate(() => callback(refused, null));
    };
    if (isIP(target.hostname)) return connectTo(target.hostname);
    // A host name reached the socket: resolve again, as the OS would.
    void lookup(target.hostname).then((answers) => connectTo(answers[0].address));
  };
  return { connector, asked };
}

export function safeAgent(options: SafeAgentOptions): Agent {
  const agent = createSafeAgent(options);
  agents.push(agent);
  return agent;
}

export async function refusal(promise: Promise<unknown>): Promise<EgressBlockedError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the request to be refused');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EgressBlockedError);
  return error as EgressBlockedError;
}

/** Closes the agents and servers a test made; each spec file calls it once. */
export function cleanUpAfterEach(): void {
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((agent) => agent.destroy()));
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      server.close();
    }
  });
}
