import { generateSecret, signRequest } from '@hookline/signing';
import { MAX_BODY_LINES } from './format';
import { UsageError } from '../flags';
import { parseReceiverArgs, type ReceiverOptions } from './options';
import { type RunningReceiver, startReceiver } from './receiver';

const secret = generateSecret();
const now = () => Math.floor(Date.now() / 1000);

// Spacing, key order and an escaped é that JSON.stringify would write differently: only the raw bytes verify.
const body = Buffer.from(
  '{"id":"evt_1","type":"invoice.paid","tenantId":"acme", "occurredAt":"2026-11-28T10:00:00.000Z","data":{"amount":4200,"note":"caf\\u00e9"}}',
);
const deliveryId = '0d6f4c1e-8a31-4c8e-9a55-1f0c2b7e9d10';

let receiver: RunningReceiver | undefined;
let printed: string[];

async function start(options: Partial<ReceiverOptions>): Promise<string> {
  printed = [];
  receiver = await startReceiver({ port: 0, host: '127.0.0.1', scheme: 'v1', status: 200, ...options, print: (text) => void printed.push(text) });
  return receiver.url;
}

afterEach(async () => {
  await receiver?.stop();
  receiver = undefined;
});

function signed(scheme: 'v1' | 'hookline-v1', path: string, signingSecret = secret): Record<string, string> {
  return {
    ...signRequest({ schemes: [{ scheme, secrets: [signingSecret] }], id: 'evt_1', timestamp: now(), body, path }),
    'content-type': 'application/json',
    'x-hookline-event': 'invoice.paid',
    'x-hookline-delivery': deliveryId,
  };
}

async function post(url: string, path: string, headers: Record<string, string>, payload: Buffer = body): Promise<number> {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers, body: payload });
  await res.text();
  return res.status;
}

describe('npm run receiver', () => {
  it('shows a correctly signed delivery with its facts and body, says it verifies, and answers the status given', async () => {
    const url = await start({ secret, status: 202 });
    await expect(post(url, '/hooks/in?team=billing', signed('v1', '/hooks/in?team=billing'))).resolves.toBe(202);

    expect(printed).toHaveLength(1);
    const [line, ...bodyLines] = printed[0]!.split('\n');
    expect(line).toMatch(/^\d\d:\d\d:\d\d\.\d{3} {2}invoice\.paid {2}/);
    expect(line).toContain('webhook-id=evt_1');
    expect(line).toContain(`delivery=${deliveryId}`);
    expect(line).toContain('POST /hooks/in?team=billing');
    expect(line).toContain(`${body.length} B`);
    expect(line).toContain('✓ signature verified (v1)');
    expect(line).toMatch(/→ 202$/);
    expect(line).not.toContain('[test]');
    expect(bodyLines.join('\n')).toBe(
      JSON.stringify(JSON.parse(body.toString()), null, 2)
        .split('\n')
        .map((l) => `    ${l}`)
        .join('\n'),
    );
    expect(printed[0]).not.toContain(secret);
  });

  it('marks a test send, which verifies like any delivery', async () => {
    const url = await start({ secret });
    await expect(post(url, '/hooks', { ...signed('v1', '/hooks'), 'x-hookline-test': 'true' })).resolves.toBe(200);
    expect(printed[0]!.split('\n')[0]).toMatch(/invoice\.paid {2}\[test\] {2}webhook-id=evt_1 .*✓ signature verified \(v1\)/);
  });

  it('refuses a forged delivery with 400 and says why', async () => {
    const url = await start({ secret });
    const headers = signed('v1', '/hooks');
    const forged = Buffer.from(body.toString().replace('4200', '1'));
    await expect(post(url, '/hooks', headers, forged)).resolves.toBe(400);
    await expect(post(url, '/hooks', signed('v1', '/hooks', generateSecret()))).resolves.toBe(400);

    expect(printed).toHaveLength(2);
    for (const text of printed) {
      expect(text).toContain('✗ signature refused: bad_signature (no signature in header webhook-signature matches)');
      expect(text).toContain('→ 400');
      expect(text).not.toContain('✓');
    }
  });

  it('verifies hookline-v1 over the path and refuses a replayed nonce', async () => {
    const url = await start({ secret, scheme: 'hookline-v1' });
    const headers = signed('hookline-v1', '/in?x=1');
    await expect(post(url, '/in?x=1', headers)).resolves.toBe(200);
    await expect(post(url, '/in?x=1', headers)).resolves.toBe(400);
    await expect(post(url, '/other', signed('hookline-v1', '/in?x=1'))).resolves.toBe(400);

    expect(printed[0]).toContain('✓ signature verified (hookline-v1)');
    expect(printed[1]).toContain('✗ signature refused: replayed_nonce');
    expect(printed[2]).toContain('✗ signature refused: bad_signature');
  });

  it('pins the scheme: a request signed only with v1 is refused when hookline-v1 is expected', async () => {
    const url = await start({ secret, scheme: 'hookline-v1' });
    await expect(post(url, '/hooks', signed('v1', '/hooks'))).resolves.toBe(400);
    expect(printed[0]).toContain('✗ signature refused: missing_header (missing signature header: expected x-hookline-signature)');
  });

  it('without a secret, says the signature was not checked and how to pass one, and answers the status given', async () => {
    const url = await start({ status: 500 });
    await expect(post(url, '/hooks', { 'content-type': 'text/plain' }, Buffer.from('hello\u0007'))).resolves.toBe(500);

    expect(printed[0]).toContain('(no event type)  webhook-id=-  delivery=-  POST /hooks  6 B');
    expect(printed[0]).toContain('? signature not checked: no secret (pass --secret whsec_… or set HOOKLINE_ENDPOINT_SECRET)');
    expect(printed[0]!.split('\n')[1]).toBe('    hello\\u0007');
  });

  it('cuts a long body', async () => {
    const url = await start({});
    const long = Buffer.from(JSON.stringify({ items: Array.from({ length: 100 }, (_v, i) => i) }));
    await post(url, '/', { 'content-type': 'application/json' }, long);
    const lines = printed[0]!.split('\n');
    expect(lines).toHaveLength(1 + MAX_BODY_LINES + 1);
    expect(lines.at(-1)).toBe(`    … ${100 + 4 - MAX_BODY_LINES} more lines`); // {, "items": [, 100 items, ], }
  });
});

describe('receiver flags', () => {
  it('has defaults, and takes the secret from --secret before HOOKLINE_ENDPOINT_SECRET', () => {
    expect(parseReceiverArgs([], {})).toEqual({ port: 9000, host: '127.0.0.1', scheme: 'v1', status: 200 });
    expect(parseReceiverArgs([], { HOOKLINE_ENDPOINT_SECRET: secret })).toMatchObject({ secret, secretFrom: 'HOOKLINE_ENDPOINT_SECRET' });
    const other = generateSecret();
    expect(parseReceiverArgs(['--secret', other, '--scheme', 'hookline-v1', '--status', '410', '--port', '0'], { HOOKLINE_ENDPOINT_SECRET: secret })).toEqual({
      port: 0,
      host: '127.0.0.1',
      scheme: 'hookline-v1',
      status: 410,
      secret: other,
      secretFrom: '--secret',
    });
    expect(parseReceiverArgs(['--help'], {})).toBeNull();
  });

  it.each([
    [['--port', '70000'], /^--port must be an integer from 0 to 65535/],
    [['--port', '9000x'], /^--port must be an integer/],
    [['--status', '99'], /^--status must be an integer from 200 to 599$/],
    [['--scheme', 'ed25519'], /^--scheme must be one of v1, hookline-v1$/],
    [['--host', ' '], /^--host must name an address/],
    [['--verbose'], /Unknown option '--verbose'/],
    [['--secret', 'whsec_not base64!'], /^--secret must be an endpoint signing secret: whsec_ followed by base64/],
    [['--secret', 'sk_live_abc'], /^--secret must be an endpoint signing secret/],
  ])('refuses %j, naming the flag and the rule', (args, message) => {
    expect(() => parseReceiverArgs(args, {})).toThrow(UsageError);
    expect(() => parseReceiverArgs(args, {})).toThrow(message);
  });

  it('names HOOKLINE_ENDPOINT_SECRET when that is malformed, without echoing it', () => {
    const bad = 'whsec_hunter2!';
    expect(() => parseReceiverArgs([], { HOOKLINE_ENDPOINT_SECRET: bad })).toThrow(/^HOOKLINE_ENDPOINT_SECRET must be an endpoint signing secret/);
    expect(() => parseReceiverArgs([], { HOOKLINE_ENDPOINT_SECRET: bad })).not.toThrow(/hunter2/);
  });
});
