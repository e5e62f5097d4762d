import { constants } from 'node:os';
import { relative } from 'node:path';

/* What the commands print to the terminal: styles, status lines, paths and exit codes as a user reads them. */

// Styles only where stdout is a terminal: a file or a pipe gets the text alone.
const isTty = process.stdout.isTTY;
const paint = (code: string) => (text: string) => (isTty ? `\u001b[${code}m${text}\u001b[0m` : text);
export const bold = paint('1');
export const dim = paint('2');
export const red = paint('31');
export const green = paint('32');
export const yellow = paint('33');
export const cyan = paint('36');

export const say = (msg: string) => void process.stdout.write(`${dim('[hookline]')} ${msg}\n`);
export const warn = (msg: string) => void process.stderr.write(`${yellow('[hookline]')} ${msg}\n`);
export const fail = (msg: string) => void process.stderr.write(`${red('[hookline]')} ${msg}\n`);

/** A path as the user would type it from where they ran npm start. */
export const rel = (path: string) => relative(process.cwd(), path) || '.';

export function secs(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

export function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

export function describeExit(code: number): string {
  if (code > 128) {
    const name = Object.entries(constants.signals).find(([, n]) => n === code - 128)?.[0];
    return `killed by ${name ?? `signal ${code - 128}`}`;
  }
  return `exit code ${code}`;
}
