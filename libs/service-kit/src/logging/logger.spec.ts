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
    logger.info({ endpoint: { id: 'ep_1', signingKeys: [{ keyId: 'k1', privateKey: 'whsk_PRIVATE' }] } }, 'key added');
    logger.info({ config: { HOOKLINE_MASTER_KEY: 'Zm9vYmFyMTIz', HOOKLINE_MASTER_KEY_PREVIOUS: ['b2xka2V5'] } }, 'config');
    const text = lines.join('');
    expect(text).toContain('ep_1');
    expect(text).not.toContain('whsec_TOPSECRET');
    expect(text).not.toContain('admin-token-123');
    expect(text).not.toContain('SIGNATURE');
    expect(text).not.toContain('PRIVATE');
    expect(text).not.toContain('Zm9vYmFyMTIz');
    expect(text).not.toContain('b2xka2V5');
    expect(text.match(/\[redacted\]/g)).toHaveLength(6);
  });
});
