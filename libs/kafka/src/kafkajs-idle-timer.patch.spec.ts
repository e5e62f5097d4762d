import { EventEmitter } from 'node:events';
import { kafkaJsRequestQueue, patchKafkaJsIdleTimer } from './kafkajs-idle-timer.patch';

describe('KafkaJS idle timer patch (regression: a 1 ms timer per idle connection)', () => {
  const queueWith = (pending: unknown[], throttledUntil: number) => {
    const queue = Object.create(kafkaJsRequestQueue.prototype) as InstanceType<typeof EventEmitter> & Record<string, unknown>;
    Object.assign(queue, { pending, throttledUntil, throttleCheckTimeoutId: null, checkPendingRequests: jest.fn() });
    return queue as unknown as typeof kafkaJsRequestQueue.prototype;
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
