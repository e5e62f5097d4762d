import { BadRequestException, HttpException, StreamableFile } from '@nestjs/common';
import { Readable } from 'node:stream';
import { isReplayableStatus, isStorableBody, renderNestError } from './response-policy';

describe(isReplayableStatus.name, () => {
  it.each([200, 201, 202, 204, 301, 400, 401, 403, 404, 410, 422])('stores %i: it is the answer to this request', (status) => {
    expect(isReplayableStatus(status)).toBe(true);
  });

  it.each([408, 409, 425, 429, 500, 502, 503, 504])('does not store %i, so the client can retry with the same key', (status) => {
    expect(isReplayableStatus(status)).toBe(false);
  });
});

describe(renderNestError.name, () => {
  it('keeps an object response as it is', () => {
    const body = { error: 'validation_failed', message: 'url: required', issues: [] };
    expect(renderNestError(new BadRequestException(body))).toEqual({ status: 400, body });
  });

  it('wraps a string response the way Nest sends it', () => {
    expect(renderNestError(new HttpException('gone', 410))).toEqual({ status: 410, body: { statusCode: 410, message: 'gone' } });
    expect(renderNestError(new Error('boom'))).toEqual({ status: 500, body: undefined });
  });
});

describe(isStorableBody.name, () => {
  it.each([[undefined], [null], ['text'], [{ id: 'e1' }], [[1, 2]]])('stores %p', (body) => {
    expect(isStorableBody(body)).toBe(true);
  });

  it.each([
    ['a Buffer', Buffer.from('x')],
    ['a stream', Readable.from(['x'])],
    ['a StreamableFile', new StreamableFile(Buffer.from('x'))],
  ])('does not store %s', (_what, body) => {
    expect(isStorableBody(body)).toBe(false);
  });
});
