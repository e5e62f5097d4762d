/** What delivery logic needs from HTTP egress (dispatcher attempts, admin-api test sends); the real one is `UndiciSender`, tests may bring their own. */
export interface HttpSender {
  post(request: OutboundRequest): Promise<InboundResponse>;
}

export interface OutboundRequest {
  /** POST unless given (an action contract's method; GET fetches a provider's signing certificate, with no body sent). */
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** How much of the answer's body is read; `RESPONSE_CAPTURE_BYTES` unless given (an action contract's answer is returned whole). */
  captureBytes?: number;
}

export interface InboundResponse {
  status: number;
  headers: Record<string, string>;
  /** At most `RESPONSE_CAPTURE_BYTES` of the body. */
  body: string;
  bodyTruncated: boolean;
}

export const RESPONSE_CAPTURE_BYTES = 4096;

/** A request that got no HTTP answer; `kind` tells why. */
export class SendError extends Error {
  constructor(
    readonly kind: 'timeout' | 'network' | 'target_refused',
    message: string,
  ) {
    super(message);
    this.name = 'SendError';
  }
}

/** What one send came to: the endpoint's answer, or why there was none. */
export type SendResult = { response: InboundResponse } | { kind: SendError['kind']; message: string };

/** Sends once and never throws for what the endpoint or the network did: an unknown error counts as `network`. */
export async function sendOnce(http: HttpSender, request: OutboundRequest): Promise<SendResult> {
  try {
    const { status, headers, body, bodyTruncated } = await http.post(request);
    return { response: { status, headers, body, bodyTruncated } };
  } catch (error) {
    return error instanceof SendError ? { kind: error.kind, message: error.message } : { kind: 'network', message: (error as Error).message };
  }
}
