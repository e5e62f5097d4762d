import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countRecordBatches } from './record-batches';

/** A record batch's framing as the broker writes it: base offset, length of the rest, the rest. */
const batch = (baseOffset: number, rest: number) => {
  const b = Buffer.alloc(12 + rest, 7);
  b.writeBigInt64BE(BigInt(baseOffset), 0);
  b.writeInt32BE(rest, 8);
  return b;
};

describe(countRecordBatches.name, () => {
  const dir = mkdtempSync(join(tmpdir(), 'record-batches-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('counts the batches of every segment of every partition, stopping where a segment ends or its written part ends', () => {
    const p0 = join(dir, 'topic-0');
    const p1 = join(dir, 'topic-1');
    mkdirSync(p0);
    mkdirSync(p1);
    writeFileSync(join(p0, '00000000000000000000.log'), Buffer.concat([batch(0, 100), batch(3, 61), batch(9, 500)]));
    writeFileSync(join(p0, '00000000000000000010.log'), Buffer.concat([batch(10, 80), Buffer.alloc(64)]));
    writeFileSync(join(p0, '00000000000000000000.index'), Buffer.alloc(40, 1));
    writeFileSync(join(p1, '00000000000000000000.log'), Buffer.alloc(0));
    expect(countRecordBatches([p0, p1])).toBe(4);
  });
});
