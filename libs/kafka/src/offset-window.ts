/**
 * Tracks the messages of one partition that are being worked on out of order
 * and answers which offset may be committed: everything before the oldest
 * unfinished message. Offsets are cumulative in Kafka, so committing past an
 * unfinished message would lose it on a crash.
 */
export class OffsetWindow {
  private readonly pending: number[] = [];
  private readonly finished = new Set<number>();
  private head = 0;
  private lastSeen = -1;
  private committed = -1;

  get inFlight(): number {
    return this.pending.length - this.head - this.finished.size;
  }

  track(offset: number): void {
    if (offset <= this.lastSeen) throw new Error(`offset ${offset} tracked out of order after ${this.lastSeen}`);
    this.pending.push(offset);
    this.lastSeen = offset;
  }

  done(offset: number): void {
    this.finished.add(offset);
    while (this.head < this.pending.length && this.finished.has(this.pending[this.head])) {
      this.finished.delete(this.pending[this.head]);
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.pending.length) {
      this.pending.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Called when a commit failed, so the same offset is offered again. */
  forgetCommit(): void {
    this.committed = -1;
  }

  /** The next offset to commit if it moved since the last call, else null. */
  takeCommittable(): number | null {
    const next = this.head < this.pending.length ? this.pending[this.head] : this.lastSeen + 1;
    if (next <= this.committed || this.lastSeen < 0) return null;
    this.committed = next;
    return next;
  }
}
