import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SendError } from './http-sender';
import { UndiciSender } from './undici-sender';

describe(UndiciSender.name, () => {
  let canary: Server;
  let port: number;
  let hits = 0;

  beforeAll(async () => {
    canary = createServer((_req, res) => {
      hits++;
      res.writeHead(302, { location: `http://127.0.0.1:${port}/internal` }).end();
    });
    await new Promise<void>((resolve) => canary.listen(0, '127.0.0.1', resolve));
    port = (canary.address() as AddressInfo).port;
  });

  afterAll(() => new Promise<void>((resolve) => canary.close(() => resolve())));
  beforeEach(() => (hits = 0));

  const send = (sender: UndiciSender, url: string) => sender.post({ url, headers: { 'content-type': 'application/json' }, body: '{}', timeoutMs: 2000 });

  it('refuses a name that resolves to a private address, as an SSRF block, without connecting', async () => {
    const blocked: string[] = [];
    const sender = new UndiciSender({
      allowPrivateTargets: false,
      lookup: async () => [{ address: '127.0.0.1', family: 4 }],
      onBlocked: (i) => blocked.push(i.reason),
    });
    const error = await send(sender, `https://hooks.example.com:${port}/in`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SendError);
    expect(error).toMatchObject({ kind: 'target_refused', message: expect.stringMatching(/^SSRF block: .*127\.0\.0\.1/) });
    expect(blocked).toHaveLength(1);
    expect(hits).toBe(0);
    await sender.close();
  });

  it('refuses a private IP literal before any request', async () => {
    const sender = new UndiciSender({ allowPrivateTargets: false });
    await expect(send(sender, `https://127.0.0.1:${port}/in`)).rejects.toMatchObject({
      kind: 'target_refused',
      message: expect.stringContaining('SSRF block'),
    });
    expect(hits).toBe(0);
    await sender.close();
  });

  it('returns a redirect as the answer and never follows it (development mode, local target)', async () => {
    const sender = new UndiciSender({ allowPrivateTargets: true });
    const res = await send(sender, `http://127.0.0.1:${port}/in`);
    expect(res.status).toBe(302);
    expect(hits).toBe(1);
    await sender.close();
  });
});
