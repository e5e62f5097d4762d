import type { FieldIssue } from '../validation';

/**
 * Deepest nesting of objects and arrays accepted in a JSON document from
 * outside (an HTTP body, a Kafka message), counted on the raw text before it
 * is parsed: deep enough for any valid event inside any envelope (an event's
 * `data` may nest 32 levels), shallow enough that nothing recursive downstream
 * (JSON.stringify, a reviver, a schema) runs out of stack.
 */
export const MAX_JSON_DEPTH = 64;

export const DEPTH_RULE = (max: number) => `must nest at most ${max} levels of objects and arrays`;
export const FINITE_NUMBER_RULE = 'must be a finite number (at most about ±1.8e308)';
export const EXACT_NUMBER_RULE =
  'must be a number a 64-bit float holds exactly (integers within ±9007199254740992, about 15 significant digits): send a larger or more precise one as a string';

/**
 * Checks a JSON number as written against what it becomes once parsed: it
 * must be finite and come back as the same decimal value when re-serialised,
 * or the bytes delivered would say something else than the bytes sent.
 * Notation may change (`1e2` is delivered as `100`), the value may not.
 */
export function numberRule(source: string): string | undefined {
  const value = Number(source);
  if (!Number.isFinite(value)) return FINITE_NUMBER_RULE;
  return decimal(source) === decimal(String(value)) ? undefined : EXACT_NUMBER_RULE;
}

/** A number's decimal value in one spelling: sign, significant digits, exponent (`-12e3` for -12000); `0` for every zero. */
function decimal(text: string): string {
  const negative = text.startsWith('-');
  const [mantissa, exponent = '0'] = (negative ? text.slice(1) : text).split(/[eE]/);
  const [whole, fraction = ''] = mantissa.split('.');
  let digits = whole + fraction;
  let power = Number(exponent) + whole.length;
  const leading = digits.length - digits.replace(/^0+/, '').length;
  digits = digits.slice(leading).replace(/0+$/, '');
  power -= leading;
  if (digits === '') return '0';
  return `${negative ? '-' : ''}0.${digits}e${power}`;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

interface Level {
  kind: 'object' | 'array';
  /**
   * The index of the value being read at this level, or where its key starts
   * in the text (the key is only decoded for an issue's path); undefined
   * before an object's first key.
   */
  at: number | undefined;
  expectingKey: boolean;
}

/** A number this short without an exponent has at most 15 digits: every such decimal survives a 64-bit float. */
const SHORT_NUMBER = 15;

function isShortPlain(text: string, start: number, end: number): boolean {
  if (end - start > SHORT_NUMBER) return false;
  for (let k = start; k < end; k++) {
    const c = text.charCodeAt(k);
    if (c === 0x65 /* e */ || c === 0x45 /* E */) return false;
  }
  return true;
}

/**
 * Scans raw JSON text, without recursion and without building the value, for
 * what must be refused before `JSON.parse`: nesting deeper than `maxDepth`
 * and numbers that do not survive parsing. Returns the first issue, naming
 * the field by its path (`events.3.data.amount`), or undefined. Text that is
 * not JSON at all is left to `JSON.parse` to report.
 */
export function scanJson(text: string, maxDepth = MAX_JSON_DEPTH): FieldIssue | undefined {
  const levels: Level[] = [];
  const path = () => levels.filter((l) => l.at !== undefined).map((l) => (l.kind === 'array' ? String(l.at) : keyAt(text, l.at as number)));
  const field = (segments: string[]) => (segments.length > 0 ? segments.join('.') : '(root)');
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    const top = levels[levels.length - 1];
    if (c === 0x22 /* " */) {
      const end = closingQuote(text, i);
      if (top?.kind === 'object' && top.expectingKey) top.at = i;
      i = end + 1;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (levels.length >= maxDepth) return { field: field(path()), rule: DEPTH_RULE(maxDepth) };
      levels.push(c === 0x7b ? { kind: 'object', at: undefined, expectingKey: true } : { kind: 'array', at: 0, expectingKey: false });
      i++;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      levels.pop();
      i++;
    } else if (c === 0x2c /* , */) {
      if (top?.kind === 'array') top.at = (top.at as number) + 1;
      else if (top) top.expectingKey = true;
      i++;
    } else if (c === 0x3a /* : */) {
      if (top) top.expectingKey = false;
      i++;
    } else if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      NUMBER.lastIndex = i;
      const match = NUMBER.exec(text);
      if (!match) return undefined; // not JSON: JSON.parse says where
      // Most numbers are short: skip the exact check (and its allocations) for them.
      const rule = isShortPlain(text, i, i + match[0].length) ? undefined : numberRule(match[0]);
      if (rule) return { field: field(path()), rule: `${rule} (got ${match[0].length > 40 ? `${match[0].slice(0, 40)}…` : match[0]})` };
      i += match[0].length;
    } else {
      i++;
    }
  }
  return undefined;
}

/** Index of the quote that closes the string opened at `start` (one not escaped by an odd run of backslashes); the end of the text if none. */
function closingQuote(text: string, start: number): number {
  let j = start;
  for (;;) {
    j = text.indexOf('"', j + 1);
    if (j === -1) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(j - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return j;
  }
}

/** The key whose opening quote is at `start`, decoded. */
function keyAt(text: string, start: number): string {
  return keyText(text.slice(start, closingQuote(text, start) + 1));
}

function keyText(quoted: string): string {
  if (!quoted.includes('\\')) return quoted.slice(1, -1);
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return quoted.slice(1, -1);
  }
}

export type UntrustedJsonResult =
  { ok: true; value: unknown } | { ok: false; kind: 'rule'; issue: FieldIssue } | { ok: false; kind: 'syntax'; message: string };

/**
 * Parses JSON that came from outside Hookline: refused with the field and the
 * rule when it nests too deep or holds a number that parsing would change
 * (`scanJson`), or with JSON.parse's message when it is not JSON.
 */
export function parseUntrustedJson(text: string, maxDepth = MAX_JSON_DEPTH): UntrustedJsonResult {
  const issue = scanJson(text, maxDepth);
  if (issue) return { ok: false, kind: 'rule', issue };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, kind: 'syntax', message: (error as Error).message };
  }
}
