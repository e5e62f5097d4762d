/** The connect-time guard with private targets refused, over real sockets on 127.0.0.1 only (how: safe-agent.fixtures.ts). */
import { fetch, request } from 'undici';
import { EgressBlockedError, findEgressBlock, isEgressBlocked, type EgressBlockedInfo } from './egress-blocked.error';
import { createSafeAgent } from './safe-agent';
import { cleanUpAfterEach, jail, PUBLIC_V4, PUBLIC_V6, refusal, safeAgent, scriptedResolver, startCanary } from './safe-agent.fixtures';

cleanUpAfterEach();

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
});
