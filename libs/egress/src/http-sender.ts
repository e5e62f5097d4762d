/** What delivery logic needs from HTTP egress (dispatcher attempts, admin-api test sends); the real one is `UndiciSender`, tests may bring their own. */
export interface HttpSender {
  post(request: OutboundRequest): Promise<InboundResponse>;
}

export interface OutboundRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
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
