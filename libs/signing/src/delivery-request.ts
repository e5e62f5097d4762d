import { chatBody } from '@hookline/chat';
import { deliveryBody, type DeliveryMode, type EndpointChat, type EndpointConfig, type EventEnvelope } from '@hookline/contracts';
import { requestPath } from './hookline-v1';
import { SIGNATURE_HEADERS, signRequest, type SchemeConfig } from './sign-request';

/** Marks a test send (admin-api `POST …/endpoints/:id/test`); a live delivery never carries it. */
export const TEST_HEADER = 'x-hookline-test';

/**
 * Headers Hookline sets, the signature headers of every scheme included. An
 * endpoint's custom headers cannot replace them (a custom header of that name
 * is left out), so no custom header forges a signature, an id or a test mark.
 */
export const RESERVED_HEADERS: ReadonlySet<string> = new Set([
  ...Object.values(SIGNATURE_HEADERS),
  ...['content-type', 'x-hookline-event', 'x-hookline-delivery', 'idempotency-key', TEST_HEADER, 'traceparent', 'tracestate', 'host', 'content-length'],
]);

export interface DeliveryRequestInput {
  endpoint: Pick<EndpointConfig, 'url' | 'headers'> & { chat?: Pick<EndpointChat, 'tool' | 'telegramChatId' | 'template'> | null };
  /** Where the request goes when not the endpoint's `url`: a chat endpoint's opened URL (`SigningSchemes.chatUrl`); a preview leaves it out and shows the masked one. */
  url?: string;
  /** The endpoint's schemes with the keys that sign now (`signingSchemes`). */
  schemes: readonly SchemeConfig[];
  event: EventEnvelope;
  /** Sent as `x-hookline-delivery` and `idempotency-key`: stable across retries. */
  deliveryId: string;
  /** Unix seconds of this attempt: `webhook-timestamp`. */
  timestamp: number;
  /** The `hookline-v1` nonce; a fresh random one unless given (to reproduce an attempt). */
  nonce?: string;
  /** W3C trace context of the attempt; left out when absent (a preview belongs to no trace). */
  traceparent?: string;
  /** `test` adds `x-hookline-test: true`; absent means a live delivery. */
  mode?: DeliveryMode;
  /** The body to send instead of the event's (`deliveryBody`): what a rule's transformation made of it, serialised. */
  body?: string;
  /** The message id signed as `webhook-id` (`messageIdOf`); the event's id when absent. */
  messageId?: string;
}

/** One attempt's HTTP request, exactly as sent. */
export interface DeliveryHttpRequest {
  method: 'POST';
  url: string;
  headers: Record<string, string>;
  /** The bytes sent and signed (UTF-8). */
  body: string;
}

/**
 * The HTTP request of one delivery attempt: the body (`deliveryBody`, a
 * rule's transformed body, or for a chat endpoint the message its template
 * makes of the event, in its tool's format), the
 * signature headers of every scheme, Hookline's own headers and the
 * endpoint's custom ones. The dispatcher sends what this builds, and admin-api
 * previews and test-sends with it, so the three agree byte for byte.
 */
export function buildDeliveryRequest(input: DeliveryRequestInput): DeliveryHttpRequest {
  const { endpoint, event, deliveryId } = input;
  const body = input.body ?? (endpoint.chat ? JSON.stringify(chatBody(endpoint.chat, null, event, deliveryId)) : deliveryBody(event));
  const url = input.url ?? endpoint.url;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(endpoint.headers)) if (!RESERVED_HEADERS.has(name.toLowerCase())) headers[name] = value;
  Object.assign(
    headers,
    signRequest({
      schemes: input.schemes,
      id: input.messageId ?? event.id,
      timestamp: input.timestamp,
      body,
      path: requestPath(url),
      nonce: input.nonce,
    }),
    {
      'content-type': 'application/json',
      'x-hookline-event': event.type,
      'x-hookline-delivery': deliveryId,
      'idempotency-key': deliveryId,
    },
  );
  if (input.mode === 'test') headers[TEST_HEADER] = 'true';
  if (input.traceparent !== undefined) headers.traceparent = input.traceparent;
  return { method: 'POST', url, headers, body };
}
