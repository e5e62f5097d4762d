/** The connect-time guard: redirects, development mode, TLS to the checked address, and refused options (how: safe-agent.fixtures.ts). */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { request } from 'undici';
import { createSafeAgent } from './safe-agent';
import { cleanUpAfterEach, jail, listen, ok, refusal, safeAgent, scriptedResolver, startCanary } from './safe-agent.fixtures';

cleanUpAfterEach();

describe(createSafeAgent.name, () => {
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
