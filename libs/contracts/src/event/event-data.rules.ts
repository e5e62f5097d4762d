import { FINITE_NUMBER_RULE } from '../json/untrusted-json';

/*
 * What an event's `data` may hold, beyond "a JSON object": every rule here is
 * something PostgreSQL's jsonb (the delivery log, the retry schedule) or a
 * JSON re-serialisation would refuse or change, so it is refused at ingest
 * with the field instead of jamming a consumer later.
 */

/** Deepest nesting of objects and arrays inside `data`, `data` itself being level 1. */
export const MAX_DATA_DEPTH = 32;
/** Longest object key inside `data`, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 256;
/** Longest string value inside `data`, in UTF-8 bytes. */
export const MAX_STRING_BYTES = 128 * 1024;
/** Issues reported for one `data` at most: enough to fix it, never a body as large as the input. */
const MAX_ISSUES = 20;

export const NUL_RULE = 'must not contain the character U+0000 (NUL): PostgreSQL cannot store it';
export const SURROGATE_RULE = 'must be well-formed Unicode (a lone UTF-16 surrogate cannot be stored)';
export const KEY_RULE = `keys must be at most ${MAX_KEY_BYTES} bytes as UTF-8`;
export const STRING_RULE = `must be at most ${MAX_STRING_BYTES} bytes as UTF-8`;
export const DATA_DEPTH_RULE = `must nest at most ${MAX_DATA_DEPTH} levels of objects and arrays`;

export interface DataIssue {
  /** Path below `data` (keys and array indexes). */
  path: (string | number)[];
  rule: string;
}

const LONE_SURROGATE = /\p{Cs}/u;

/** The rule a string (a value or a key) breaks, if any; `limit` in UTF-8 bytes. */
function stringRule(value: string, limit: number, sizeRule: string): string | undefined {
  if (value.includes('\u0000')) return NUL_RULE;
  if (LONE_SURROGATE.test(value)) return SURROGATE_RULE;
  // A UTF-16 unit is at most 3 UTF-8 bytes: most strings need no byte count.
  if (value.length * 3 > limit && Buffer.byteLength(value) > limit) return sizeRule;
  return undefined;
}

/** Shortened for an error body: a key over the limit is named by its start. */
const segment = (key: string) => (key.length > 64 ? `${key.slice(0, 64)}…` : key);

/**
 * Checks every key and value of `data` without recursion (a deep value
 * cannot exhaust the stack) and returns the issues found, the first
 * `MAX_ISSUES` at most, each with its path below `data`.
 */
export function checkEventData(data: Record<string, unknown>): DataIssue[] {
  const issues: DataIssue[] = [];
  const pending: { value: unknown; path: (string | number)[]; depth: number }[] = [{ value: data, path: [], depth: 1 }];
  while (pending.length > 0 && issues.length < MAX_ISSUES) {
    const { value, path, depth } = pending.pop()!;
    if (typeof value === 'string') {
      const rule = stringRule(value, MAX_STRING_BYTES, STRING_RULE);
      if (rule) issues.push({ path, rule });
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) issues.push({ path, rule: FINITE_NUMBER_RULE });
    } else if (typeof value === 'boolean' || value === null) {
      continue;
    } else if (typeof value !== 'object') {
      issues.push({ path, rule: 'must be a JSON value' });
    } else if (depth > MAX_DATA_DEPTH) {
      issues.push({ path, rule: DATA_DEPTH_RULE });
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) pending.push({ value: value[i], path: [...path, i], depth: depth + 1 });
    } else {
      const children: (typeof pending)[number][] = [];
      for (const [key, child] of Object.entries(value)) {
        const rule = stringRule(key, MAX_KEY_BYTES, KEY_RULE);
        if (rule) issues.push({ path: [...path, segment(key)], rule: rule === KEY_RULE ? rule : `keys ${rule}` });
        else children.push({ value: child, path: [...path, key], depth: depth + 1 });
      }
      for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]);
    }
  }
  return issues.slice(0, MAX_ISSUES);
}
