import pino, { type Logger } from 'pino';

/**
 * Paths whose values never reach a log line: credentials, endpoint secrets,
 * signatures. Applied to every logger a service creates.
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
  'endpoint.secrets',
  'config.secrets',
  'DATABASE_URL',
  'HOOKLINE_ADMIN_TOKEN',
  '*.DATABASE_URL',
  '*.HOOKLINE_ADMIN_TOKEN',
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
