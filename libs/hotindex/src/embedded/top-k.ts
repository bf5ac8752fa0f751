/**
 * The k best (score, slot) pairs seen so far. Replacing the minimum is O(k), but after the first
 * few hundred vectors almost nothing beats it, so scans stay linear in practice.
 */
export class TopK {
  private readonly scores: Float64Array;
  private readonly slots: Int32Array;
  private size = 0;
  private minIndex = 0;

  constructor(readonly k: number) {
    this.scores = new Float64Array(k);
    this.slots = new Int32Array(k);
  }

  get length(): number {
    return this.size;
  }

  /** The score a candidate must beat to enter (−∞ until k are held). */
  get floor(): number {
    return this.size < this.k ? Number.NEGATIVE_INFINITY : (this.scores[this.minIndex] ?? 0);
  }

  push(score: number, slot: number): void {
    if (this.size < this.k) {
      this.scores[this.size] = score;
      this.slots[this.size] = slot;
      this.size++;
      if (this.size === this.k) this.findMin();
      return;
    }
    if (score <= (this.scores[this.minIndex] ?? 0)) return;
    this.scores[this.minIndex] = score;
    this.slots[this.minIndex] = slot;
    this.findMin();
  }

  /** Best first; equal scores by slot (a stable, deterministic order). */
  sorted(): { score: number; slot: number }[] {
    const out: { score: number; slot: number }[] = [];
    for (let i = 0; i < this.size; i++) out.push({ score: this.scores[i] ?? 0, slot: this.slots[i] ?? 0 });
    return out.sort((a, b) => b.score - a.score || a.slot - b.slot);
  }

  private findMin(): void {
    let m = 0;
    for (let i = 1; i < this.size; i++) if ((this.scores[i] ?? 0) < (this.scores[m] ?? 0)) m = i;
    this.minIndex = m;
  }
}
