import { waitFor } from '@hookline/infra';
import fc from 'fast-check';
import { stackForSuite } from '../harness/test-stack';

/**
 * Ingest's edge against generated inputs, valid and hostile, on the real
 * stack: every input is either refused with a 4xx naming a field, or accepted
 * and then both in the delivery log and at the endpoint, with `data` as
 * JSON.stringify writes what was sent. Set HOOKLINE_FUZZ_SEED to replay a run.
 */
const SEED = Number(process.env.HOOKLINE_FUZZ_SEED ?? 20261122);
const RUNS = 240;
const TENANT = 'fuzz';

/** A value written into the body as raw JSON text (numbers JSON.stringify cannot produce, deep nesting). */
interface Raw {
  raw: string;
  mustRefuse: boolean;
}
interface Input {
  body: string;
  /** Holds a value every rule-abiding ingest must refuse. */
  mustRefuse: boolean;
}

const raw = (text: string, mustRefuse: boolean): Raw => ({ raw: text, mustRefuse });
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    raw('1e400', true),
    raw('-1e400', true),
    raw('9007199254740993', true),
    raw('123456789012345678901234567890', true),
    raw('0.1000000000000000000001', true),
    raw('1e2', false),
    raw('-0', false),
    raw('9007199254740992', false),
    raw('1.7976931348623157e308', false),
    raw('5e-324', false),
    raw('[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["deep"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]', false), // 31 arrays: data nests 32 levels
    raw(`${'['.repeat(32)}${']'.repeat(32)}`, true),
    raw(`${'['.repeat(100_000)}${']'.repeat(100_000)}`, true),
    raw(`${'{"a":'.repeat(70)}1${'}'.repeat(70)}`, true),
  ),
  fc.constantFrom<unknown>('a\u0000b', '\u0000', 'x\ud800', '\udfff', '😀\ud83d'),
  fc.constantFrom<unknown>('é'.repeat(64 * 1024), 's'.repeat(128 * 1024 + 1)),
);
const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 2, arbitrary: hostileValue },
);
const key: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'binary', maxLength: 16 }) },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', '', '1', 'k'.repeat(256), 'é'.repeat(129), 'nul\u0000', '\ud800') },
);
const data = fc.dictionary(key, value, { maxKeys: 5 });
const occurredAt = fc.constantFrom(
  undefined,
  '0001-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999Z',
  '2024-02-29T12:00:00.123456+14:00',
  '2026-11-22T10:00:00-12:00',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59-05:00',
  '0001-01-01T00:00:00+00:01',
  '2023-02-29T00:00:00Z',
  'yesterday',
);
const MUST_REFUSE_DATES = new Set(['0000-01-01T00:00:00Z', '9999-12-31T23:59:59-05:00', '0001-01-01T00:00:00+00:01', '2023-02-29T00:00:00Z', 'yesterday']);
const type = fc.oneof(
  { weight: 5, arbitrary: fc.stringMatching(/^[a-z0-9_]{1,12}(\.[a-z0-9_]{1,12}){0,3}$/) },
  { weight: 1, arbitrary: fc.constantFrom('Invoice.Paid', 'a..b', '', 'a\u0000', 'é.paid', 'x'.repeat(129)) },
);
const id = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 5, arbitrary: fc.stringMatching(/^[A-Za-z0-9_.:-]{1,60}$/) },
  { weight: 1, arbitrary: fc.constantFrom(' ', 'a b', 'x'.repeat(129), 'évt', 'a\u0000') },
);
const tenantId = fc.oneof({ weight: 12, arbitrary: fc.constant(TENANT) }, { weight: 1, arbitrary: fc.constantFrom('', 'fu zz', '-fuzz', 'f'.repeat(65)) });

/** An event input as the body text sent, built from generated parts. */
const input: fc.Arbitrary<(index: number) => Input> = fc.record({ tenantId, type, id, data, occurredAt }).map((parts) => (index: number): Input => {
  const raws: Raw[] = [];
  let mustRefuse = parts.tenantId !== TENANT || (parts.occurredAt !== undefined && MUST_REFUSE_DATES.has(parts.occurredAt));
  const envelope = {
    tenantId: parts.tenantId,
    type: parts.type,
    // A unique prefix keeps two inputs from sharing an id (the second would be a duplicate, not delivered).
    ...(parts.id === undefined ? {} : { id: `f${index}-${parts.id}` }),
    ...(parts.occurredAt === undefined ? {} : { occurredAt: parts.occurredAt }),
    data: parts.data,
  };
  let body = JSON.stringify(envelope, (_key, v: unknown) => {
    if (v && typeof v === 'object' && 'raw' in v && 'mustRefuse' in v) {
      raws.push(v as Raw);
      return `@@raw${raws.length - 1}@@`;
    }
    return v;
  });
  raws.forEach((r, i) => (body = body.replace(`"@@raw${i}@@"`, r.raw)));
  if (raws.some((r) => r.mustRefuse)) mustRefuse = true;
  if (hasLoneSurrogateOrNul(envelope)) mustRefuse = true;
  if (Object.keys(parts.data).some((k) => Buffer.byteLength(k) > 256)) mustRefuse = true;
  return { body, mustRefuse };
});

function hasLoneSurrogateOrNul(envelope: { data: Record<string, unknown> }): boolean {
  const strings: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') strings.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object' && !('raw' in v && 'mustRefuse' in v))
      for (const [k, child] of Object.entries(v)) {
        strings.push(k);
        walk(child);
      }
  };
  walk(envelope.data);
  return strings.some((s) => s.includes('\u0000') || /\p{Cs}/u.test(s));
}

interface Delivery {
  status: string;
}

describe('ingest under generated inputs (fast-check)', () => {
  const { stack, receiver } = stackForSuite();

  it(`refuses with a field or delivers and logs each of ${RUNS} generated inputs (seed ${SEED})`, async () => {
    const endpoint = await stack.api('admin-api', 'POST', `/v1/tenants/${TENANT}/endpoints`, { url: `${receiver.url}/hooks/fuzz`, eventTypes: ['*'] });
    expect(endpoint.status).toBe(201);

    const inputs = fc.sample(input, { seed: SEED, numRuns: RUNS }).map((make, index) => make(index));
    const failures: string[] = [];
    const fail = (index: number, what: string) => failures.push(`input ${index} (seed ${SEED}): ${what}; body: ${inputs[index].body.slice(0, 300)}`);
    const accepted = new Map<string, { index: number; data: string; occurredAt?: string; type: string }>();

    // Eight requests at a time: enough to overlap, few enough for a two-core machine.
    for (let start = 0; start < inputs.length; start += 8) {
      await Promise.all(
        inputs.slice(start, start + 8).map(async ({ body, mustRefuse }, offset) => {
          const index = start + offset;
          const res = await fetch(`${stack.url('ingest')}/v1/events`, {
            method: 'POST',
            headers: { authorization: `Bearer ${stack.token}`, 'content-type': 'application/json' },
            body,
          });
          const answer = (await res.json()) as { id?: string; duplicate?: boolean; issues?: { field?: unknown; rule?: unknown }[] };
          if (res.status === 202) {
            if (mustRefuse) fail(index, 'accepted an input that breaks a rule');
            if (answer.duplicate !== false || typeof answer.id !== 'string') return fail(index, `202 without a fresh id: ${JSON.stringify(answer)}`);
            const sent = JSON.parse(body) as { data: unknown; occurredAt?: string; type: string };
            accepted.set(answer.id, { index, data: JSON.stringify(sent.data), occurredAt: sent.occurredAt, type: sent.type });
          } else if (res.status >= 400 && res.status < 500) {
            const named = answer.issues?.length && answer.issues.every((i) => typeof i.field === 'string' && i.field !== '' && typeof i.rule === 'string');
            if (!named) fail(index, `${res.status} without a field and a rule: ${JSON.stringify(answer)}`);
          } else {
            fail(index, `answered ${res.status}: ${JSON.stringify(answer)}`);
          }
        }),
      );
    }
    expect(failures).toEqual([]);
    // The generators must reach both sides of the edge, or the run proves little.
    expect(accepted.size).toBeGreaterThan(RUNS * 0.25);
    expect(RUNS - accepted.size).toBeGreaterThan(RUNS * 0.25);

    // Every accepted event at the endpoint, then every one in the log (the wait also gives a late duplicate time to show).
    await receiver.waitUntil((requests) => new Set(requests.map((r) => r.headers['webhook-id'])).size >= accepted.size, {
      timeoutMs: 60_000,
      what: `${accepted.size} deliveries (seed ${SEED})`,
    });
    const unlogged = new Set(accepted.keys());
    await waitFor(
      async () => {
        for (const eventId of [...unlogged]) {
          const { body } = await stack.api<{ data: Delivery[] }>(
            'admin-api',
            'GET',
            `/v1/deliveries?tenantId=${TENANT}&eventId=${encodeURIComponent(eventId)}`,
          );
          if (body.data.length === 1 && body.data[0].status === 'succeeded') unlogged.delete(eventId);
        }
        return unlogged.size === 0;
      },
      {
        timeoutMs: 30_000,
        intervalMs: 500,
        description: `the delivery log to hold every accepted event (seed ${SEED}; missing ${[...unlogged].slice(0, 5).join(', ')})`,
      },
    );

    const arrived = new Map<string, string[]>();
    for (const request of receiver.requests) arrived.set(request.headers['webhook-id'], [...(arrived.get(request.headers['webhook-id']) ?? []), request.body]);
    expect([...arrived.keys()].filter((eventId) => !accepted.has(eventId))).toEqual([]);
    for (const [eventId, { index, data, occurredAt, type: sentType }] of accepted) {
      const bodies = arrived.get(eventId) ?? [];
      if (bodies.length !== 1) {
        fail(index, `arrived ${bodies.length} times`);
        continue;
      }
      const delivered = JSON.parse(bodies[0]) as { occurredAt: string };
      const expected = `{"id":${JSON.stringify(eventId)},"type":${JSON.stringify(sentType)},"tenantId":"${TENANT}","occurredAt":${JSON.stringify(delivered.occurredAt)},"data":${data}}`;
      if (bodies[0] !== expected) fail(index, `delivered ${bodies[0].slice(0, 300)}`);
      if (occurredAt !== undefined && delivered.occurredAt !== new Date(occurredAt).toISOString())
        fail(index, `occurredAt delivered as ${delivered.occurredAt}`);
    }
    expect(failures).toEqual([]);
  }, 110_000);
});
