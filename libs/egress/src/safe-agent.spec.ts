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
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { buildConnector, fetch, request, type Agent } from 'undici';
import { EgressBlockedError, findEgressBlock, isEgressBlocked, type EgressBlockedInfo } from './egress-blocked.error';
import { createSafeAgent, type ResolvedAddress, type SafeAgentOptions } from './safe-agent';

const PUBLIC_V4 = '93.184.216.34';
const PUBLIC_V6 = '2606:2800:220:1:248:1893:25c8:1946';

interface LocalServer {
  port: number;
  connections: number;
  requests: Array<{ url: string; host: string | undefined; servername?: string }>;
  server: Server;
}

const servers: Server[] = [];
const agents: Agent[] = [];

async function listen(server: Server, handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<LocalServer> {
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

const ok = (_req: IncomingMessage, res: ServerResponse) => res.end('ok');
/** A local server that must never be reached; every refusal below aims at one. */
const startCanary = () => listen(createHttpServer(), (_req, res) => res.end('canary reached'));

/** A scripted resolver: answer n is used for call n, the last one for every call after. */
function scriptedResolver(...answers: string[][]) {
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
function jail(lookup: (hostname: string) => Promise<ResolvedAddress[]>, connectOptions: buildConnector.BuildOptions = {}) {
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

function safeAgent(options: SafeAgentOptions): Agent {
  const agent = createSafeAgent(options);
  agents.push(agent);
  return agent;
}

async function refusal(promise: Promise<unknown>): Promise<EgressBlockedError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the request to be refused');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EgressBlockedError);
  return error as EgressBlockedError;
}

afterEach(async () => {
  await Promise.all(agents.splice(0).map((agent) => agent.destroy()));
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

describe(createSafeAgent.name, () => {
  describe('with allowPrivateTargets=false', () => {
    it.each([
      ['loopback', 'https://127.0.0.1:PORT/hooks', /127\.0\.0\.1 is a loopback address/],
      ['loopback spelled as a decimal integer', 'https://2130706433:PORT/', /127\.0\.0\.1 is a loopback address/],
      ['IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]:PORT/', /IPv4-mapped .* 127\.0\.0\.1/],
      ['IPv6 loopback', 'https://[::1]:PORT/', /::1 is a loopback address/],
    ])('refuses an IP-literal %s URL without asking DNS, and never connects', async (_what, url, reason) => {
      const canary = await startCanary();
      const resolver = scriptedResolver(['127.0.0.1']);
      const agent = safeAgent({ allowPrivateTargets: false, lookup: resolver.lookup });

      const error = await refusal(request(url.replace('PORT', String(canary.port)), { dispatcher: agent }));

      expect(error.reason).toMatch(reason);
      expect(error.message).toMatch(/^SSRF block: /);
      expect(resolver.calls).toEqual([]);
      expect(canary.connections).toBe(0);
    });

    it('refuses an internal name without asking DNS', async () => {
      const canary = await startCanary();
      const resolver = scriptedResolver(['127.0.0.1']);
      const socket = jail(resolver.lookup);
      const agent = safeAgent({ allowPrivateTargets: false, lookup: resolver.lookup, socketConnector: socket.connector });

      const error = await refusal(request(`https://db.internal:${canary.port}/`, { dispatcher: agent }));

      expect(error.reason).toMatch(/\.internal is not a public domain/);
      expect(resolver.calls).toEqual([]);
      expect(canary.connections).toBe(0);
    });

    it('refuses plain http at connect time too, whatever the name resolves to', async () => {
      const resolver = scriptedResolver([PUBLIC_V4]);
      const socket = jail(resolver.lookup);
      const agent = safeAgent({ allowPrivateTargets: false, lookup: resolver.lookup, socketConnector: socket.connector });

      const error = await refusal(request('http://hooks.example.com/', { dispatcher: agent }));

      expect(error.reason).toBe('only https targets are allowed (got http)');
      expect(resolver.calls).toEqual([]);
      expect(socket.asked).toEqual([]);
    });

    it('refuses a name that resolves to loopback, reports it to onBlocked, and never connects', async () => {
      const canary = await startCanary();
      const resolver = scriptedResolver(['127.0.0.1']);
      const blocked: EgressBlockedInfo[] = [];
      const socket = jail(resolver.lookup);
      const agent = safeAgent({
        allowPrivateTargets: false,
        lookup: resolver.lookup,
        socketConnector: socket.connector,
        onBlocked: (info) => blocked.push(info),
      });

      const error = await refusal(request(`https://hooks.example.com:${canary.port}/`, { dispatcher: agent }));

      expect(error).toMatchObject({
        code: 'EGRESS_BLOCKED',
        hostname: 'hooks.example.com',
        address: '127.0.0.1',
        reason: 'hooks.example.com resolves to a refused address: 127.0.0.1 is a loopback address',
      });
      expect(blocked).toEqual([{ hostname: 'hooks.example.com', port: String(canary.port), protocol: 'https:', address: '127.0.0.1', reason: error.reason }]);
      expect(resolver.calls).toEqual(['hooks.example.com']);
      expect(canary.connections).toBe(0);
    });

    it.each([
      ['public first, private second', [PUBLIC_V4, '127.0.0.1']],
      ['private first, public second', ['127.0.0.1', PUBLIC_V4]],
      ['public IPv6 and metadata', [PUBLIC_V6, '169.254.169.254']],
      ['public and IPv4-mapped loopback', [PUBLIC_V4, '::ffff:127.0.0.1']],
      ['public and an inet_aton-only spelling', [PUBLIC_V4, '0x7f.1']],
    ])('refuses a name whose answers mix %s, connecting to none of them', async (_what, answer) => {
      const canary = await startCanary();
      const resolver = scriptedResolver(answer);
      const socket = jail(resolver.lookup);
      const agent = safeAgent({ allowPrivateTargets: false, lookup: resolver.lookup, socketConnector: socket.connector });

      const error = await refusal(request(`https://mixed.example.com:${canary.port}/`, { dispatcher: agent }));

      expect(error.reason).toMatch(/^mixed\.example\.com resolves to a refused address: /);
      expect(socket.asked).toEqual([]);
      expect(canary.connections).toBe(0);
    });

    it('DNS rebinding (public at check time, loopback at connect time): connects only to the checked public address, never to the canary', async () => {
      const canary = await startCanary();
      const resolver = scriptedResolver([PUBLIC_V4], ['127.0.0.1']);
      const socket = jail(resolver.lookup);
      const agent = safeAgent({ allowPrivateTargets: false, lookup: resolver.lookup, socketConnector: socket.connector });

      const error = await request(`https://rebind.example.com:${canary.port}/`, { dispatcher: agent }).catch((e: unknown) => e);

      // The jail refused the public address, so this is an ordinary network failure.
      expect(error).toMatchObject({ code: 'ECONNREFUSED' });
      expect(isEgressBlocked(error)).toBe(false);
      expect(resolver.calls).toEqual(['rebind.example.com']);
      expect(socket.asked).toEqual([PUBLIC_V4]);
      expect(canary.connections).toBe(0);
    });

    it('DNS rebinding (private first, public afterwards): refused at the first answer, with one resolution', async () => {
      const canary = await startCanary();
      const resolver = scriptedResolver(['127.0.0.1'], [PUBLIC_V4]);
      const socket = jail(resolver.lookup);
      const agent = safeAgent({ allowPrivateTargets: false, lookup: resolver.lookup, socketConnector: socket.connector });

      await refusal(request(`https://rebind.example.com:${canary.port}/`, { dispatcher: agent }));

      expect(resolver.calls).toEqual(['rebind.example.com']);
      expect(socket.asked).toEqual([]);
      expect(canary.connections).toBe(0);
    });

    it('resolves and checks again for every new connection, so a name that rebinds later is refused then', async () => {
      const canary = await startCanary();
      const resolver = scriptedResolver([PUBLIC_V4], ['127.0.0.1']);
      const socket = jail(resolver.lookup);
      const agent = safeAgent({ allowPrivateTargets: false, lookup: resolver.lookup, socketConnector: socket.connector });
      const url = `https://rebind.example.com:${canary.port}/`;

      const first = await request(url, { dispatcher: agent }).catch((e: unknown) => e);
      const second = await request(url, { dispatcher: agent }).catch((e: unknown) => e);

      expect(first).toMatchObject({ code: 'ECONNREFUSED' });
      expect(second).toBeInstanceOf(EgressBlockedError);
      expect(resolver.calls).toEqual(['rebind.example.com', 'rebind.example.com']);
      expect(socket.asked).toEqual([PUBLIC_V4]);
      expect(canary.connections).toBe(0);
    });

    it('lets fetch() carry the refusal as the cause of its TypeError, where findEgressBlock finds it', async () => {
      const canary = await startCanary();
      const resolver = scriptedResolver(['10.0.0.1']);
      const agent = safeAgent({ allowPrivateTargets: false, lookup: resolver.lookup, socketConnector: jail(resolver.lookup).connector });

      const error = await fetch(`https://hooks.example.com:${canary.port}/`, { dispatcher: agent }).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(TypeError);
      expect(isEgressBlocked(error)).toBe(true);
      expect(findEgressBlock(error)?.reason).toMatch(/10\.0\.0\.1 is a private address/);
      expect(canary.connections).toBe(0);
    });
  });

  describe('redirects', () => {
    it('returns a 302 to an internal canary as the response and never follows it', async () => {
      const canary = await startCanary();
      const target = await listen(createHttpServer(), (_req, res) => {
        res.writeHead(302, { location: `http://127.0.0.1:${canary.port}/latest/meta-data/` }).end();
      });
      // The first hop has to be allowed and local, hence the development override.
      const agent = safeAgent({ allowPrivateTargets: true });

      const res = await request(`http://127.0.0.1:${target.port}/hooks`, { method: 'POST', body: '{}', dispatcher: agent });
      await res.body.dump();

      expect(res.statusCode).toBe(302);
      expect(res.headers.location).toBe(`http://127.0.0.1:${canary.port}/latest/meta-data/`);
      expect(target.requests).toHaveLength(1);
      expect(canary.connections).toBe(0);
    });
  });

  describe('with allowPrivateTargets=true (local development)', () => {
    it('reaches a local server by IP literal', async () => {
      const target = await listen(createHttpServer(), ok);
      const agent = safeAgent({ allowPrivateTargets: true });

      const res = await request(`http://127.0.0.1:${target.port}/hooks`, { dispatcher: agent });

      expect(res.statusCode).toBe(200);
      expect(await res.body.text()).toBe('ok');
    });

    it('reaches a local server by name, keeps the name in the Host header, and resolves once per connection', async () => {
      const target = await listen(createHttpServer(), (_req, res) => res.setHeader('connection', 'close').end('ok'));
      const resolver = scriptedResolver(['127.0.0.1']);
      const socket = jail(resolver.lookup);
      const agent = safeAgent({ allowPrivateTargets: true, lookup: resolver.lookup, socketConnector: socket.connector });

      for (let i = 0; i < 3; i++) {
        const res = await request(`http://receiver.test:${target.port}/hooks`, { dispatcher: agent });
        await res.body.dump();
        expect(res.statusCode).toBe(200);
      }

      expect(target.requests.map((r) => r.host)).toEqual(Array(3).fill(`receiver.test:${target.port}`));
      expect(target.connections).toBe(3);
      expect(resolver.calls).toHaveLength(3);
      expect(socket.asked).toEqual(Array(3).fill('127.0.0.1'));
    });

    it('tries the next checked address when the first refuses the connection', async () => {
      const target = await listen(createHttpServer(), ok);
      // Nothing listens on 127.0.0.2 (the server is bound to 127.0.0.1 only).
      const resolver = scriptedResolver(['127.0.0.2', '127.0.0.1']);
      const socket = jail(resolver.lookup);
      const agent = safeAgent({ allowPrivateTargets: true, lookup: resolver.lookup, socketConnector: socket.connector });

      const res = await request(`http://receiver.test:${target.port}/`, { dispatcher: agent });

      expect(res.statusCode).toBe(200);
      expect(socket.asked).toEqual(['127.0.0.2', '127.0.0.1']);
      expect(resolver.calls).toHaveLength(1);
      await res.body.dump();
    });

    it('still refuses a name that resolves to the cloud metadata address', async () => {
      const resolver = scriptedResolver(['169.254.169.254']);
      const socket = jail(resolver.lookup);
      const agent = safeAgent({ allowPrivateTargets: true, lookup: resolver.lookup, socketConnector: socket.connector });

      const error = await refusal(request('http://metadata.example.com/', { dispatcher: agent }));

      expect(error.reason).toMatch(/169\.254\.169\.254 is a cloud metadata address/);
      expect(socket.asked).toEqual([]);
    });
  });

  describe('TLS to the checked address', () => {
    const fixtures = join(__dirname, '..', 'fixtures');
    const cert = readFileSync(join(fixtures, 'hooks.example.com.crt.pem'));
    const key = readFileSync(join(fixtures, 'hooks.example.com.key.pem'));
    const startTlsServer = () => listen(createHttpsServer({ cert, key }) as unknown as Server, ok);

    it("applies the agent's TLS options to its own connections", async () => {
      const target = await startTlsServer();
      // The fixture certificate also names 127.0.0.1, so an IP-literal URL verifies.
      const agent = safeAgent({ allowPrivateTargets: true, connect: { ca: cert } });

      const res = await request(`https://127.0.0.1:${target.port}/hooks`, { dispatcher: agent });

      expect(res.statusCode).toBe(200);
      await res.body.dump();
    });

    it('sends the URL host as SNI and Host header and verifies the certificate against it', async () => {
      const target = await startTlsServer();
      const resolver = scriptedResolver(['127.0.0.1']);
      const socket = jail(resolver.lookup, { ca: cert });
      const agent = safeAgent({ allowPrivateTargets: true, lookup: resolver.lookup, socketConnector: socket.connector });

      const res = await request(`https://hooks.example.com:${target.port}/hooks`, { dispatcher: agent });

      expect(res.statusCode).toBe(200);
      await res.body.dump();
      expect(target.requests).toEqual([{ url: '/hooks', host: `hooks.example.com:${target.port}`, servername: 'hooks.example.com' }]);
      expect(socket.asked).toEqual(['127.0.0.1']);
    });

    it('fails the handshake when the certificate does not name the URL host, even though it names the address connected to', async () => {
      const target = await startTlsServer();
      const resolver = scriptedResolver(['127.0.0.1']);
      const socket = jail(resolver.lookup, { ca: cert });
      const agent = safeAgent({ allowPrivateTargets: true, lookup: resolver.lookup, socketConnector: socket.connector });

      const error = await request(`https://other.example.com:${target.port}/`, { dispatcher: agent }).catch((e: unknown) => e);

      expect(error).toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
      expect(target.requests).toEqual([]);
    });
  });

  it('fails the request, rather than hanging it, when opening the socket throws after the DNS answer', async () => {
    const agent = safeAgent({
      allowPrivateTargets: true,
      lookup: scriptedResolver(['127.0.0.1']).lookup,
      socketConnector: () => {
        throw new Error('socket options rejected');
      },
    });

    await expect(request('http://receiver.test:1234/', { dispatcher: agent })).rejects.toThrow('socket options rejected');
  });

  it.each([
    ['a Unix socket path', { socketPath: '/var/run/docker.sock' }],
    ['connect.path', { connect: { path: '/var/run/docker.sock' } }],
    ['a custom connect function', { connect: () => undefined }],
    ['a custom factory', { factory: () => undefined }],
    ['a fixed connect.lookup', { connect: { lookup: () => undefined } }],
  ])('refuses %s, which would open sockets around the checks', (_what, extra) => {
    expect(() => createSafeAgent({ allowPrivateTargets: false, ...(extra as object) })).toThrow(/unsupported option/);
  });
});
