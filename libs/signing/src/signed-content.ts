/** Unix seconds as the 1–10 digit string receivers accept; anything else is a bug upstream. */
export function timestampText(timestamp: number): string {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0 || timestamp > 9_999_999_999) {
    throw new RangeError(`timestamp must be whole Unix seconds with at most 10 digits, got ${timestamp}`);
  }
  return String(timestamp);
}

export type Body = string | Uint8Array;

/** `prefix` followed by the body bytes, without re-encoding a binary body. */
export function withBody(prefix: string, body: Body): Buffer {
  return Buffer.concat([Buffer.from(prefix), typeof body === 'string' ? Buffer.from(body) : body]);
}
