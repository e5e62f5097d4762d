/**
 * What every inbound provider implements: from the raw request a provider
 * sent and the source's keys, either the Hookline events it becomes (and the
 * answer the provider expects), a handshake answered without any event, or a
 * refusal with its reason. Verification always runs on the raw bytes, with a
 * constant-time comparison, and with the provider's own timestamp tolerance
 * where it signs one.
 */

/** One request as it arrived, before anything parsed it. */
export interface InboundRequest {
  method: 'GET' | 'POST';
  /** The URL the provider called, as it signed it: scheme, host, path and query (behind a proxy, the public one). */
  url: string;
  /** Header names lowercased; a repeated header's values joined with ", ". */
  headers: Readonly<Record<string, string>>;
  rawBody: Buffer;
  /** When it arrived: the clock timestamp tolerances are measured against. */
  receivedAt: Date;
}

/** A source's keys, opened, and its provider options (as the provider's `optionsSchema` parsed them). */
export interface SourceKeys {
  /** The shared secret the provider signs with (Stripe's endpoint secret, GitHub's webhook secret, Twilio's auth token, …). */
  secret?: string;
  /** A public key or certificate the provider signs with (SendGrid's verification key), PEM or base64 DER. */
  publicKey?: string;
  options: Readonly<Record<string, unknown>>;
}

/** One kind of callback a provider sends, with a realistic example of its event's `data` (the event catalog's entries). */
export interface ProviderKind {
  kind: string;
  description: string;
  example: Record<string, unknown>;
}

/** What a provider's answer must be. */
export interface ProviderAnswer {
  status: number;
  contentType?: string;
  body?: string;
}

/** One Hookline event made of a callback (a callback may carry several, e.g. a SendGrid batch). */
export interface NormalisedEvent {
  /** The event type's last part(s), after the source's prefix: `message_status`, `invoice.paid`. Dot-separated lowercase words. */
  kind: string;
  /** The provider's own id for it (so a provider's retry is the same event); absent when the provider gives none. */
  id?: string;
  /** The provider's payload (for a form-encoded callback, its fields as an object). */
  data: Record<string, unknown>;
  /** When the provider says it happened, ISO 8601, if it says. */
  occurredAt?: string;
}

/** Why a request was refused; each is recorded in the inbound log. */
export type RefusalReason =
  'missing_signature' | 'bad_signature' | 'stale_timestamp' | 'malformed' | 'untrusted_certificate' | 'bad_verify_token' | 'method_not_allowed';

export type Verdict =
  | { kind: 'accepted'; events: NormalisedEvent[]; answer?: ProviderAnswer }
  | { kind: 'handshake'; answer: ProviderAnswer; detail: string }
  | { kind: 'refused'; status: 400 | 401 | 403 | 405; reason: RefusalReason; detail: string };

/** What a provider may do beyond the request itself: fetch a signing certificate, confirm a subscription (both through the SSRF-safe egress). */
export interface ProviderTools {
  /** GETs `url` (already checked against the provider's host pattern) and returns its body; cached by the caller's implementation. */
  fetchText(url: string): Promise<string>;
}

export interface InboundProvider {
  readonly name: string;
  /** Whether the source needs a shared secret, a public key, or neither (a provider option carries what it needs). */
  readonly keys: 'secret' | 'public_key' | 'secret_or_public_key' | 'none';
  /** Validates a source's provider options when it is saved; returns the options as stored. Throws a zod error naming the field. */
  parseOptions(options: unknown): Record<string, unknown>;
  verify(request: InboundRequest, keys: SourceKeys, tools: ProviderTools): Promise<Verdict>;
}

/** A refusal, as providers build them. */
export const refuse = (status: 400 | 401 | 403 | 405, reason: RefusalReason, detail: string): Verdict => ({ kind: 'refused', status, reason, detail });
