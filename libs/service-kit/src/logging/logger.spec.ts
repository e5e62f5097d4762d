import { Writable } from 'node:stream';
import pino from 'pino';
import { REDACTED_PATHS } from './logger';

describe('log redaction', () => {
  it('never writes secrets, credentials or signatures', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = pino({ redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink);
    logger.info({ endpoint: { id: 'ep_1', secrets: [{ secret: 'whsec_TOPSECRET' }] } }, 'endpoint saved');
    logger.info({ headers: { authorization: 'Bearer admin-token-123' } }, 'request');
    logger.info({ requestHeaders: { 'webhook-signature': 'v1,SIGNATURE' } }, 'attempt');
    const text = lines.join('');
    expect(text).toContain('ep_1');
    expect(text).not.toContain('whsec_TOPSECRET');
    expect(text).not.toContain('admin-token-123');
    expect(text).not.toContain('SIGNATURE');
    expect(text.match(/\[redacted\]/g)).toHaveLength(3);
  });
});
