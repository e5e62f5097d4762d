import { SendError, sendOnce, type HttpSender } from './http-sender';

const request = { url: 'https://example.com/hooks', headers: {}, body: '{}', timeoutMs: 1000 };
const sender = (post: HttpSender['post']): HttpSender => ({ post });

describe(sendOnce.name, () => {
  it('answers the response as captured', async () => {
    const response = { status: 503, headers: { 'retry-after': '5' }, body: 'busy', bodyTruncated: false };
    expect(
      await sendOnce(
        sender(async () => response),
        request,
      ),
    ).toEqual({ response });
  });

  it('keeps the kind of a send error and counts any other error as network, never throwing', async () => {
    expect(
      await sendOnce(
        sender(async () => Promise.reject(new SendError('timeout', 'no answer within 1000 ms'))),
        request,
      ),
    ).toEqual({
      kind: 'timeout',
      message: 'no answer within 1000 ms',
    });
    expect(
      await sendOnce(
        sender(async () => Promise.reject(new Error('socket hang up'))),
        request,
      ),
    ).toEqual({ kind: 'network', message: 'socket hang up' });
  });
});
