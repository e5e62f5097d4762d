import { parseUntrustedJson, type FieldIssue } from '@hookline/contracts';
import type { IHeaders, KafkaMessage } from 'kafkajs';

/** A consumed message, decoupled from the client library. */
export interface ConsumedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

export function toConsumed(topic: string, partition: number, message: KafkaMessage): ConsumedMessage {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key ? message.key.toString('utf8') : null,
    value: message.value,
    headers: decodeHeaders(message.headers),
  };
}

export function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const first = Array.isArray(value) ? value[0] : value;
    out[name] = Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
  }
  return out;
}

/**
 * Parses a JSON message value. An empty value, broken JSON, nesting deeper
 * than `MAX_JSON_DEPTH` or a number that parsing would change comes back as a
 * reason (with the field, for the last two), never as a thrown error: one
 * hostile message must be dead-lettered, not stop its consumer.
 */
export function parseJson(value: Buffer | null): { ok: true; value: unknown } | { ok: false; reason: string; issue?: FieldIssue } {
  if (value === null || value.length === 0) return { ok: false, reason: 'message value is empty' };
  const parsed = parseUntrustedJson(value.toString('utf8'));
  if (parsed.ok) return parsed;
  if (parsed.kind === 'syntax') return { ok: false, reason: `message value is not valid JSON: ${parsed.message}` };
  return { ok: false, reason: `${parsed.issue.field}: ${parsed.issue.rule}`, issue: parsed.issue };
}
