import { describeIssues, type DeadLetter, type FieldIssue, type TopicContract, type ValueOf } from '@hookline/contracts';
import type { TopicNames } from './kafka-client';
import { parseJson, type ConsumedMessage } from './message';

/** A consumed message whose value passed its topic's schema: typed by the contract. */
export interface Received<C extends TopicContract> {
  readonly value: ValueOf<C>;
  readonly key: string | null;
  readonly headers: Record<string, string>;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/** A message handed over by its key and headers alone: its value was neither parsed nor validated (see `HeadersSuffice`). */
export interface HeadersOnly {
  readonly key: string | null;
  readonly headers: Record<string, string>;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/**
 * Whether a message's key and headers are all its handler needs, so its value
 * need not be parsed nor validated. Only for topics that Hookline alone
 * writes, and only when the headers say all the handler acts on: such a
 * message is never dead-lettered, whatever its value.
 */
export type HeadersSuffice = (contract: TopicContract, key: string | null, headers: Readonly<Record<string, string>>) => boolean;

/** The valid messages of one consumed batch (one partition of one topic), with their contract. */
export interface ReceivedBatch<C extends TopicContract> {
  readonly contract: C;
  readonly messages: Received<C>[];
  /** The messages of the batch that `HeadersSuffice` let through by their headers, in offset order (absent: none). */
  readonly headersOnly?: HeadersOnly[];
}

/** A batch from any of `T`'s topics; narrow it with `isBatchOf`. */
export type BatchOf<T extends readonly TopicContract[]> = { [K in keyof T]: ReceivedBatch<T[K]> }[number];

export function isBatchOf<C extends TopicContract>(batch: ReceivedBatch<TopicContract>, contract: C): batch is ReceivedBatch<C> {
  return batch.contract === contract;
}

/** Where the messages that fail their schema go: the contract's dead-letter topic, with the letters. */
export type DeadLetterSink = (deadLetterTopic: TopicContract, letters: DeadLetter[]) => Promise<void>;

/**
 * A consumed message checked against its contract: the typed message, or the
 * dead letter that records why it was refused (not JSON, or the field and
 * rule it broke) with its original bytes.
 */
export function decode<C extends TopicContract>(
  contract: C,
  message: ConsumedMessage,
  consumer: string,
  now: Date = new Date(),
): { ok: true; message: Received<C> } | { ok: false; deadLetter: DeadLetter } {
  const json = parseJson(message.value);
  let issues: FieldIssue[];
  if (json.ok) {
    const parsed = contract.schema.safeParse(json.value);
    if (parsed.success) {
      const { key, headers, topic, partition, offset } = message;
      return { ok: true, message: { value: parsed.data as ValueOf<C>, key, headers, topic, partition, offset } };
    }
    issues = describeIssues(parsed.error);
  } else {
    issues = [json.issue ?? { field: '(root)', rule: json.reason }];
  }
  return {
    ok: false,
    deadLetter: {
      reason: issues.map((i) => `${i.field}: ${i.rule}`).join('; '),
      issues,
      source: { topic: message.topic, partition: message.partition, offset: message.offset, key: message.key },
      consumer,
      value: message.value ? message.value.toString('utf8') : null,
      deadLetteredAt: now.toISOString(),
    },
  };
}

function contractOf<T extends readonly TopicContract[]>(names: TopicNames, topics: T, topic: string): T[number] {
  const contract = topics.find((c) => names.of(c) === topic);
  if (!contract) throw new Error(`no contract for topic ${topic}`);
  return contract;
}

function deadLetterTopicOf(contract: TopicContract): TopicContract {
  if (!contract.deadLetterTopic) throw new Error(`topic ${contract.name} has no dead-letter topic; it cannot be consumed by a group consumer`);
  return contract.deadLetterTopic;
}

/**
 * Turns a typed batch handler into the raw one a `BatchConsumer` runs: each
 * message is decoded with its topic's schema; the valid ones go to `handle`,
 * the others to the dead-letter sink, both before the offset is committed.
 */
export function validatingBatchHandler<T extends readonly TopicContract[]>(options: {
  names: TopicNames;
  topics: T;
  consumer: string;
  deadLetters: DeadLetterSink;
  handle: (batch: BatchOf<T>) => Promise<void>;
  /** Messages it accepts reach the handler in `headersOnly`, undecoded. */
  headersSuffice?: HeadersSuffice;
}): (messages: ConsumedMessage[]) => Promise<void> {
  options.topics.forEach(deadLetterTopicOf);
  return async (messages) => {
    const contract = contractOf(options.names, options.topics, messages[0].topic);
    const valid: Received<TopicContract>[] = [];
    const headersOnly: HeadersOnly[] = [];
    const letters: DeadLetter[] = [];
    const now = new Date();
    for (const message of messages) {
      if (options.headersSuffice?.(contract, message.key, message.headers)) {
        const { key, headers, topic, partition, offset } = message;
        headersOnly.push({ key, headers, topic, partition, offset });
        continue;
      }
      const decoded = decode(contract, message, options.consumer, now);
      if (decoded.ok) valid.push(decoded.message);
      else letters.push(decoded.deadLetter);
    }
    const batch = headersOnly.length > 0 ? { contract, messages: valid, headersOnly } : { contract, messages: valid };
    await Promise.all([
      letters.length > 0 ? options.deadLetters(deadLetterTopicOf(contract), letters) : undefined,
      valid.length > 0 || headersOnly.length > 0 ? options.handle(batch as BatchOf<T>) : undefined,
    ]);
  };
}

/** The same for a `WindowedConsumer`'s one-message handler. */
export function validatingMessageHandler<T extends readonly TopicContract[]>(options: {
  names: TopicNames;
  topics: T;
  consumer: string;
  deadLetters: DeadLetterSink;
  handle: (message: Received<T[number]>) => Promise<void>;
}): (message: ConsumedMessage) => Promise<void> {
  options.topics.forEach(deadLetterTopicOf);
  return async (message) => {
    const contract = contractOf(options.names, options.topics, message.topic);
    const decoded = decode(contract, message, options.consumer);
    if (decoded.ok) await options.handle(decoded.message);
    else await options.deadLetters(deadLetterTopicOf(contract), [decoded.deadLetter]);
  };
}
