export type VerificationErrorCode =
  'missing_header' | 'bad_header' | 'bad_timestamp' | 'timestamp_too_old' | 'timestamp_too_new' | 'bad_signature' | 'no_key' | 'replayed_nonce';

/**
 * Why a request was refused. `code` is stable for programs; `header` names the
 * header at fault when there is one; `message` is for people and logs. None of
 * them contains a secret or an expected signature.
 */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
  readonly code: VerificationErrorCode;
  readonly header?: string;

  constructor(code: VerificationErrorCode, message: string, header?: string) {
    // A refusal is an answer about the request, not a bug in the caller, so it
    // carries no stack: capturing one costs ~20 µs, five times the HMAC check,
    // on exactly the path a flood of forged requests drives.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.code = code;
    if (header !== undefined) this.header = header;
  }
}
