import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';

/*
 * The broker's own count of produce requests: each request appends one record
 * batch to each partition it writes to. A segment file (`*.log`) is a run of
 * batches, each starting with its base offset (8 bytes) and the length of the
 * rest (4 bytes, big-endian), so counting them needs only those headers.
 */

/** Record batches in the segment files of the given partition folders. */
export function countRecordBatches(partitionDirs: string[]): number {
  let batches = 0;
  for (const dir of partitionDirs) {
    for (const name of readdirSync(dir)) if (name.endsWith('.log')) batches += batchesInSegment(join(dir, name));
  }
  return batches;
}

export function batchesInSegment(path: string): number {
  const fd = openSync(path, 'r');
  const header = Buffer.alloc(12);
  let position = 0;
  let batches = 0;
  try {
    // A preallocated segment ends in zeros: a length of 0 is where the written part ends.
    while (readSync(fd, header, 0, 12, position) === 12) {
      const length = header.readInt32BE(8);
      if (length <= 0) break;
      batches += 1;
      position += 12 + length;
    }
  } finally {
    closeSync(fd);
  }
  return batches;
}
