/**
 * Space-Saving heavy hitters (Metwally et al.): at most `capacity` counters.
 * While the number of distinct keys fits, counts are exact. Past that, a new
 * key replaces the smallest counter and inherits its count as `error`, so
 * every reported count is an upper bound and count - error a lower bound.
 * Memory: O(capacity) whatever the input; a min-heap makes each add O(log k).
 */
export interface HeavyHitter {
  key: string;
  count: number;
  /** Upper bound of over-estimation; 0 while exact. */
  error: number;
}

export class SpaceSaving {
  private readonly index = new Map<string, number>();
  private readonly keys: string[] = [];
  private readonly counts: number[] = [];
  private readonly errors: number[] = [];
  private total = 0;
  private evicted = false;

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new Error('SpaceSaving capacity must be at least 1');
  }

  add(key: string, weight = 1): void {
    this.total += weight;
    const at = this.index.get(key);
    if (at !== undefined) {
      this.counts[at] += weight;
      this.siftDown(at);
      return;
    }
    if (this.keys.length < this.capacity) {
      const i = this.keys.length;
      this.keys.push(key);
      this.counts.push(weight);
      this.errors.push(0);
      this.index.set(key, i);
      this.siftUp(i);
      return;
    }
    // Replace the minimum (heap root).
    this.evicted = true;
    this.index.delete(this.keys[0]);
    const min = this.counts[0];
    this.keys[0] = key;
    this.counts[0] = min + weight;
    this.errors[0] = min;
    this.index.set(key, 0);
    this.siftDown(0);
  }

  /** Exact while no key was ever evicted. */
  get exact(): boolean {
    return !this.evicted;
  }

  get size(): number {
    return this.keys.length;
  }

  get totalWeight(): number {
    return this.total;
  }

  /** Largest counts first; ties by key so output is stable. */
  top(n: number): HeavyHitter[] {
    const all = this.keys.map((key, i) => ({ key, count: this.counts[i], error: this.errors[i] }));
    all.sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return all.slice(0, n);
  }

  /** Merge another summary (parallel parsing); exact when both were exact and the union fits. */
  merge(other: SpaceSaving): void {
    // Counters always sum to the total weight, so re-adding them keeps totals right.
    for (const h of other.top(other.size)) {
      this.add(h.key, h.count);
      const at = this.index.get(h.key);
      if (at !== undefined) this.errors[at] += h.error;
    }
    if (!other.exact) this.evicted = true;
  }

  private swap(i: number, j: number): void {
    [this.keys[i], this.keys[j]] = [this.keys[j], this.keys[i]];
    [this.counts[i], this.counts[j]] = [this.counts[j], this.counts[i]];
    [this.errors[i], this.errors[j]] = [this.errors[j], this.errors[i]];
    this.index.set(this.keys[i], i);
    this.index.set(this.keys[j], j);
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.counts[p] <= this.counts[i]) return;
      this.swap(i, p);
      i = p;
    }
  }

  private siftDown(i: number): void {
    const n = this.keys.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.counts[l] < this.counts[m]) m = l;
      if (r < n && this.counts[r] < this.counts[m]) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}
