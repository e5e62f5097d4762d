/**
 * KafkaJS 2.2.4 re-arms a timer on every broker connection every 1 ms while
 * the connection is idle: `scheduleCheckPendingRequests` computes
 * `throttledUntil - Date.now()` (a large negative number when not throttled)
 * and passes it to setTimeout, which Node clamps to 1 ms (Node 24 also prints
 * a TimeoutNegativeWarning). On a 2-core machine running six services this is
 * measurable idle CPU. Upstream: tulios/kafkajs#1751, #1704 (unfixed).
 *
 * The replacement keeps KafkaJS' behaviour where it matters: while throttled it
 * wakes when the throttle ends; with requests pending it polls every 10 ms as
 * before; idle and unthrottled it schedules nothing (the next enqueued request
 * or response calls this again).
 */
interface KafkaJsRequestQueue {
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  pending: unknown[];
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const RequestQueue = require('kafkajs/src/network/requestQueue') as {
  new (options: {
    maxInFlightRequests: number | null;
    requestTimeout: number;
    enforceRequestTimeout: boolean;
    clientId: string;
    broker: string;
    logger: unknown;
  }): KafkaJsRequestQueue;
  prototype: KafkaJsRequestQueue;
};

const CHECK_PENDING_REQUESTS_INTERVAL = 10;

let applied = false;

export function patchKafkaJsIdleTimer(): void {
  if (applied) return;
  applied = true;
  RequestQueue.prototype.scheduleCheckPendingRequests = function scheduleCheckPendingRequests() {
    if (this.throttleCheckTimeoutId) return;
    const throttledFor = this.throttledUntil - Date.now();
    let delay: number;
    if (throttledFor > 0) delay = throttledFor;
    else if (this.pending.length > 0) delay = CHECK_PENDING_REQUESTS_INTERVAL;
    else return;
    this.throttleCheckTimeoutId = setTimeout(() => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    }, delay);
  };
}

/** Exposed for the regression test. */
export const kafkaJsRequestQueue = RequestQueue;
