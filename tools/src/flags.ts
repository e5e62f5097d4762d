import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';

/* Command-line flags, read the same way by every command. */

/** A bad flag or variable: the message names it and the rule. Commands print it without a stack trace. */
export class UsageError extends Error {}

/** The values of `options` in `args`; an unknown flag, a positional or a missing value is a UsageError. */
export function parseFlags<O extends ParseArgsOptionsConfig>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * The value of flag `--name` as an integer from `min` to `max`. Decimal digits
 * only: Number() would also take '' (0), '1e4', '0x10' and ' 5', which nobody
 * means as a count or a port.
 */
export function integerFlag(value: string, name: string, min: number, max: number, note = ''): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}${note}`);
  return n;
}
