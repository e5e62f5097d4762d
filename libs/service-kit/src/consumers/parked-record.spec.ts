import { ParkedRecordSchema } from '@hookline/contracts';
import type { ConsumedMessage } from '@hookline/kafka';
import { parkedRecord } from './consumers.host';

const failure = { class: 'permanent' as const, code: '22008', name: 'error', message: 'date/time field value out of range: "…"' };
const message = (value: Buffer | null): ConsumedMessage => ({
  topic: 'hookline.events.accepted.v1',
  partition: 2,
  offset: '41',
  key: 'acme',
  value,
  headers: { traceparent: '00-x' },
});

describe(parkedRecord.name, () => {
  it('keeps a UTF-8 value as text, with where it came from, the consumer and the error', () => {
    const letter = parkedRecord(message(Buffer.from('{"id":"evt_1","note":"café"}')), failure, 'hookline.log-store', new Date('2026-01-01T00:00:00Z'));
    expect(ParkedRecordSchema.parse(letter)).toEqual({
      source: { topic: 'hookline.events.accepted.v1', partition: 2, offset: '41', key: 'acme' },
      consumer: 'hookline.log-store',
      value: '{"id":"evt_1","note":"café"}',
      valueEncoding: 'utf8',
      headers: { traceparent: '00-x' },
      error: failure,
      parkedAt: '2026-01-01T00:00:00.000Z',
    });
  });

  it('keeps bytes that are not valid UTF-8 exactly, as base64', () => {
    const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0x7d]);
    const letter = parkedRecord(message(bytes), failure, 'g');
    expect(letter.valueEncoding).toBe('base64');
    expect(Buffer.from(letter.value!, 'base64').equals(bytes)).toBe(true);
  });

  it('keeps a null value as null', () => {
    expect(parkedRecord(message(null), failure, 'g')).toMatchObject({ value: null, valueEncoding: 'utf8' });
  });
});
