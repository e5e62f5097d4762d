import {
  EventsAcceptedTopic,
  EventsDeadLetteredTopic,
  EventsIngestedTopic,
  MessagesDeadLetteredTopic,
  defineTopic,
  type DeadLetter,
  type TopicContract,
} from '@hookline/contracts';
import { z } from 'zod';
import { TopicNames } from './kafka-client';
import type { ConsumedMessage } from './message';
import { decode, isBatchOf, validatingBatchHandler, validatingMessageHandler, type BatchOf } from './received';

const names = new TopicNames('t1.');
const message = (topic: TopicContract, offset: number, value: string | null, key = 'acme'): ConsumedMessage => ({
  topic: names.of(topic),
  partition: 3,
  offset: String(offset),
  key,
  value: value === null ? null : Buffer.from(value),
  headers: { traceparent: 'tp' },
});
const event = (id: string) =>
  JSON.stringify({ id, tenantId: 'acme', type: 'invoice.paid', data: {}, occurredAt: '2026-11-22T10:00:00Z', receivedAt: '2026-11-22T10:00:00Z' });

describe(decode.name, () => {
  it('types a message that passes its contract', () => {
    const decoded = decode(EventsAcceptedTopic, message(EventsAcceptedTopic, 7, event('evt_1')), 'hookline.log-store');
    expect(decoded).toEqual({
      ok: true,
      message: {
        value: JSON.parse(event('evt_1')),
        key: 'acme',
        headers: { traceparent: 'tp' },
        topic: 't1.hookline.events.accepted.v1',
        partition: 3,
        offset: '7',
      },
    });
  });

  it.each([
    ['not JSON', '{"id": ', [{ field: '(root)', rule: expect.stringMatching(/^message value is not valid JSON/) }]],
    ['empty', null, [{ field: '(root)', rule: 'message value is empty' }]],
    ['off its schema', JSON.stringify({ id: 'evt_1', tenantId: 'acme' }), expect.arrayContaining([{ field: 'type', rule: expect.any(String) }])],
  ])('turns a message that is %s into a dead letter with the reason, the source and the original bytes', (_name, value, issues) => {
    const decoded = decode(EventsAcceptedTopic, message(EventsAcceptedTopic, 9, value), 'hookline.rules-engine', new Date('2026-11-22T10:00:00Z'));
    expect(decoded).toEqual({
      ok: false,
      deadLetter: {
        reason: expect.any(String),
        issues,
        source: { topic: 't1.hookline.events.accepted.v1', partition: 3, offset: '9', key: 'acme' },
        consumer: 'hookline.rules-engine',
        value,
        deadLetteredAt: '2026-11-22T10:00:00.000Z',
      },
    });
  });
});

describe(validatingBatchHandler.name, () => {
  const setup = (handle: (batch: BatchOf<readonly [typeof EventsAcceptedTopic, typeof EventsIngestedTopic]>) => Promise<void>) => {
    const letters: [string, DeadLetter[]][] = [];
    const handler = validatingBatchHandler({
      names,
      topics: [EventsAcceptedTopic, EventsIngestedTopic] as const,
      consumer: 'hookline.x',
      deadLetters: async (topic, batch) => void letters.push([topic.name, batch]),
      handle,
    });
    return { letters, handler };
  };

  it("hands over the valid messages of a batch and dead-letters the others to their topic's dead-letter topic", async () => {
    const handled: string[][] = [];
    const { letters, handler } = setup(async (batch) => {
      if (isBatchOf(batch, EventsAcceptedTopic)) handled.push(batch.messages.map((m) => m.value.id));
    });
    await handler([message(EventsAcceptedTopic, 1, event('evt_1')), message(EventsAcceptedTopic, 2, 'nope'), message(EventsAcceptedTopic, 3, event('evt_3'))]);
    expect(handled).toEqual([['evt_1', 'evt_3']]);
    expect(letters.map(([topic, batch]) => [topic, batch.map((l) => l.source.offset)])).toEqual([[MessagesDeadLetteredTopic.name, ['2']]]);
  });

  it('sends refused ingestion messages to the producers-facing dead-letter topic', async () => {
    const { letters, handler } = setup(async () => undefined);
    await handler([message(EventsIngestedTopic, 1, JSON.stringify({ tenantId: 'acme', type: 'invoice.paid', data: 'no' }))]);
    expect(letters).toEqual([[EventsDeadLetteredTopic.name, [expect.objectContaining({ issues: [{ field: 'data', rule: 'must be a JSON object' }] })]]]);
  });

  it('calls no handler for a batch in which nothing is valid', async () => {
    let calls = 0;
    const { letters, handler } = setup(async () => void calls++);
    await handler([message(EventsAcceptedTopic, 1, '[]')]);
    expect(calls).toBe(0);
    expect(letters).toHaveLength(1);
  });

  it('hands over by their headers alone the messages `headersSuffice` accepts, neither parsed nor dead-lettered, the others decoded', async () => {
    const seen: { valid: string[]; headersOnly: string[] }[] = [];
    const letters: DeadLetter[][] = [];
    const handler = validatingBatchHandler({
      names,
      topics: [EventsAcceptedTopic] as const,
      consumer: 'hookline.x',
      deadLetters: async (_topic, batch) => void letters.push(batch),
      headersSuffice: (contract, key, headers) => contract === EventsAcceptedTopic && key === 'acme' && headers.skip === 'yes',
      handle: async (batch) => void seen.push({ valid: batch.messages.map((m) => m.offset), headersOnly: (batch.headersOnly ?? []).map((m) => m.offset) }),
    });
    const skipped = (offset: number, value: string) => ({ ...message(EventsAcceptedTopic, offset, value), headers: { skip: 'yes' } });
    await handler([
      skipped(1, 'not json at all'),
      message(EventsAcceptedTopic, 2, event('evt_2')),
      skipped(3, event('evt_3')),
      message(EventsAcceptedTopic, 4, 'nope'),
    ]);
    expect(seen).toEqual([{ valid: ['2'], headersOnly: ['1', '3'] }]);
    expect(letters.map((batch) => batch.map((l) => l.source.offset))).toEqual([['4']]);
  });

  it('calls the handler for a batch of headers-only messages alone, and leaves `headersOnly` out when there are none', async () => {
    const batches: { valid: number; headersOnly: number | undefined }[] = [];
    const handler = validatingBatchHandler({
      names,
      topics: [EventsAcceptedTopic] as const,
      consumer: 'hookline.x',
      deadLetters: async () => undefined,
      headersSuffice: (_contract, _key, headers) => headers.skip === 'yes',
      handle: async (batch) => void batches.push({ valid: batch.messages.length, headersOnly: batch.headersOnly?.length }),
    });
    await handler([{ ...message(EventsAcceptedTopic, 1, event('evt_1')), headers: { skip: 'yes' } }]);
    await handler([message(EventsAcceptedTopic, 2, event('evt_2'))]);
    expect(batches).toEqual([
      { valid: 0, headersOnly: 1 },
      { valid: 1, headersOnly: undefined },
    ]);
  });

  it('fails the batch when the handler fails (the batch is retried, nothing committed)', async () => {
    const { handler } = setup(async () => Promise.reject(new Error('database down')));
    await expect(handler([message(EventsAcceptedTopic, 1, event('evt_1'))])).rejects.toThrow('database down');
  });

  it('refuses to consume a topic that names no dead-letter topic', () => {
    const compacted = defineTopic({ name: 'hookline.things.changed.v1', schema: z.object({}), key: () => '', compacted: true, description: '' });
    expect(() =>
      validatingMessageHandler({ names, topics: [compacted], consumer: 'x', deadLetters: async () => undefined, handle: async () => undefined }),
    ).toThrow('has no dead-letter topic');
  });
});

describe(validatingMessageHandler.name, () => {
  it('hands over a valid message and dead-letters an invalid one', async () => {
    const handled: string[] = [];
    const letters: DeadLetter[] = [];
    const handler = validatingMessageHandler({
      names,
      topics: [EventsAcceptedTopic],
      consumer: 'hookline.x',
      deadLetters: async (_t, batch) => void letters.push(...batch),
      handle: async (m) => void handled.push(m.value.id),
    });
    await handler(message(EventsAcceptedTopic, 1, event('evt_1')));
    await handler(message(EventsAcceptedTopic, 2, '{}'));
    expect(handled).toEqual(['evt_1']);
    expect(letters.map((l) => l.source.offset)).toEqual(['2']);
  });
});
