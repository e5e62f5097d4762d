import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';

/* Reading the servers' log files: their tails for errors, and what a start wrote. */

/** Size of a file in bytes (0 when it does not exist): where to read a server's new log output from. */
export function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** What was appended to a file since `offset` (at most the last 64 KiB of it). */
export function readSince(file: string, offset: number): string {
  const size = fileSize(file);
  return size > offset ? tailFile(file, Math.min(size - offset, 65_536)) : '';
}

/** A server that exited because its port was taken between choosing and binding it. */
export function bindFailed(...logs: Array<{ file: string; offset: number }>): boolean {
  return logs.some(({ file, offset }) => /address already in use/i.test(readSince(file, offset)));
}

/** The last `maxBytes` of a file as text ('' when it does not exist). */
export function tailFile(file: string, maxBytes = 6000): string {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    const text = buffer.toString('utf8');
    return size > length ? text.slice(text.indexOf('\n') + 1) : text;
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
