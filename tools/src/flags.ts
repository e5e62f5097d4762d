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

/**
 * The integer after `--name` in `argv`, or `fallback` when the flag is absent:
 * for the measuring scripts that take a few counts and nothing else.
 */
export function countOption(name: string, fallback: number, min = 1, argv: string[] = process.argv): number {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  return integerFlag(argv[i + 1] ?? '', name, min, Number.MAX_SAFE_INTEGER);
}
