import { kafkaJsRequestQueue, patchKafkaJsIdleTimer } from './kafkajs-idle-timer.patch';

describe('KafkaJS idle timer patch (regression: a 1 ms timer per idle connection)', () => {
  // A real KafkaJS request queue: if KafkaJS renamed the fields the patch reads, these tests would fail.
  const queueWith = (pending: unknown[], throttledUntil: number) => {
    const queue = new kafkaJsRequestQueue({
      maxInFlightRequests: null,
      requestTimeout: 1000,
      enforceRequestTimeout: false,
      clientId: 'patch-test',
      broker: 'localhost:9092',
      logger: {},
    });
    expect(queue.pending).toEqual([]);
    expect(queue.throttleCheckTimeoutId).toBeNull();
    queue.pending.push(...pending);
    queue.throttledUntil = throttledUntil;
    jest.spyOn(queue, 'checkPendingRequests').mockImplementation(() => undefined);
    return queue;
  };

  beforeAll(() => patchKafkaJsIdleTimer());
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('arms no timer on an idle, unthrottled connection', () => {
    const queue = queueWith([], -1);
    queue.scheduleCheckPendingRequests();
    expect(queue.throttleCheckTimeoutId).toBeNull();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('still polls every 10 ms while requests are pending', () => {
    const queue = queueWith([{}], -1);
    queue.scheduleCheckPendingRequests();
    jest.advanceTimersByTime(9);
    expect(queue.checkPendingRequests).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(queue.checkPendingRequests).toHaveBeenCalledTimes(1);
  });

  it('wakes when a broker throttle ends', () => {
    const queue = queueWith([], Date.now() + 500);
    queue.scheduleCheckPendingRequests();
    jest.advanceTimersByTime(499);
    expect(queue.checkPendingRequests).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(queue.checkPendingRequests).toHaveBeenCalledTimes(1);
  });
});
