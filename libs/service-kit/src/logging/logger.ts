import pino, { type Logger } from 'pino';

/**
 * Paths whose values never reach a log line: credentials, endpoint secrets,
 * private keys, the master key, signatures. Applied to every logger a service creates.
 */
export const REDACTED_PATHS = [
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'secret',
  'secrets',
  '*.secret',
  '*.secrets',
  'privateKey',
  '*.privateKey',
  'signingKeys',
  '*.signingKeys',
  'DATABASE_URL',
  'HOOKLINE_ADMIN_TOKEN',
  '*.DATABASE_URL',
  '*.HOOKLINE_ADMIN_TOKEN',
  'HOOKLINE_MASTER_KEY',
  '*.HOOKLINE_MASTER_KEY',
  'HOOKLINE_MASTER_KEY_PREVIOUS',
  '*.HOOKLINE_MASTER_KEY_PREVIOUS',
  'requestHeaders["webhook-signature"]',
];

export function createLogger(service: string, level: string): Logger {
  return pino({
    level,
    base: { service },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}
