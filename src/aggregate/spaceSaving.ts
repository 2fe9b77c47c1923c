import { detach } from '../detach.js';

/**
 * Space-Saving heavy hitters (Metwally et al.): at most `capacity` counters.
 * While the number of distinct keys fits, counts are exact. Past that, a new
 * key replaces a smallest counter and inherits its count as `error`, so
 * every reported count is an upper bound and count - error a lower bound.
 *
 * Stream-summary layout (the paper's): counters with equal counts share a
 * bucket, buckets form a list in ascending count order, so adding 1 to a
 * counter moves it to the next bucket and finding the minimum reads the first
 * bucket: O(1) per add. Counters and buckets live in typed arrays indexed by
 * slot number, and keys are found through an open-addressing table of slot
 * numbers (linear probing, 32-bit FNV-1a hashes kept per slot): no object
 * or map entry per key, about 60 bytes a counter besides the key string.
 * Memory: O(capacity) whatever the input.
 * Keys are stored as copies (a key cut from a log line must not keep the
 * line alive while it sits in the summary).
 */
export interface HeavyHitter {
  key: string;
  count: number;
  /** Upper bound of over-estimation; 0 while exact. */
  error: number;
}

const NIL = -1;

export class SpaceSaving {
  private readonly keys: string[] = [];
  /** Per slot: the hash of its key. */
  private hashes: Int32Array;
  /** Open addressing, linear probing: slot + 1 of each key, 0 = empty; at most half full. */
  private table = new Int32Array(128);
  private counts: Float64Array;
  private errors: Float64Array;
  /** Per slot: its bucket, and its neighbours in that bucket (insertion order). */
  private slotBucket: Int32Array;
  private slotNext: Int32Array;
  private slotPrev: Int32Array;
  /** Per bucket: its count, first and last slot, and neighbouring buckets (ascending count). */
  private bucketCount: Float64Array;
  private bucketFirst: Int32Array;
  private bucketLast: Int32Array;
  private bucketNext: Int32Array;
  private bucketPrev: Int32Array;
  private freeBuckets: number[] = [];
  private bucketTop = 0;
  /** The bucket of the smallest count. */
  private head = NIL;
  private total = 0;
  private evicted = false;

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new Error('SpaceSaving capacity must be at least 1');
    // Arrays grow with the keys seen, up to capacity (a summary of 20,000 counters that sees 200 keys stays small).
    const n = Math.min(capacity, 64);
    this.counts = new Float64Array(n);
    this.hashes = new Int32Array(n);
    this.errors = new Float64Array(n);
    this.slotBucket = new Int32Array(n);
    this.slotNext = new Int32Array(n);
    this.slotPrev = new Int32Array(n);
    // One bucket per distinct count, plus one while a counter moves.
    this.bucketCount = new Float64Array(n + 1);
    this.bucketFirst = new Int32Array(n + 1);
    this.bucketLast = new Int32Array(n + 1);
    this.bucketNext = new Int32Array(n + 1);
    this.bucketPrev = new Int32Array(n + 1);
  }

  add(key: string, weight = 1): void {
    this.total += weight;
    const h = hashOf(key);
    const at = this.find(key, h);
    if (at >= 0) {
      this.counts[at] += weight;
      this.raise(at);
      return;
    }
    if (this.keys.length < this.capacity) {
      const s = this.keys.length;
      if (s === this.counts.length) this.growSlots();
      this.keys.push(detach(key));
      this.hashes[s] = h;
      this.counts[s] = weight;
      this.errors[s] = 0;
      this.insert(s);
      if (this.keys.length * 2 > this.table.length) this.rehash(this.table.length * 2);
      this.place(s, this.head);
      return;
    }
    // Replace the oldest counter of the smallest count.
    this.evicted = true;
    const s = this.bucketFirst[this.head];
    const min = this.counts[s];
    this.remove(s);
    this.keys[s] = detach(key);
    this.hashes[s] = h;
    this.insert(s);
    this.counts[s] = min + weight;
    this.errors[s] = min;
    this.raise(s);
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
      const at = this.find(h.key, hashOf(h.key));
      if (at >= 0) this.errors[at] += h.error;
    }
    if (!other.exact) this.evicted = true;
  }

  /** The slot holding key, or -1. */
  private find(key: string, h: number): number {
    const t = this.table;
    const mask = t.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const e = t[i];
      if (e === 0) return -1;
      if (this.hashes[e - 1] === h && this.keys[e - 1] === key) return e - 1;
    }
  }

  private insert(s: number): void {
    const t = this.table;
    const mask = t.length - 1;
    let i = this.hashes[s] & mask;
    while (t[i] !== 0) i = (i + 1) & mask;
    t[i] = s + 1;
  }

  /** Takes slot s's key out of the table (backward-shift deletion keeps every probe run unbroken). */
  private remove(s: number): void {
    const t = this.table;
    const mask = t.length - 1;
    let i = this.hashes[s] & mask;
    while (t[i] !== s + 1) i = (i + 1) & mask;
    for (let j = (i + 1) & mask; t[j] !== 0; j = (j + 1) & mask) {
      const home = this.hashes[t[j] - 1] & mask;
      // t[j] may move to the hole at i unless its home lies cyclically in (i, j].
      if (i <= j ? home <= i || home > j : home <= i && home > j) {
        t[i] = t[j];
        i = j;
      }
    }
    t[i] = 0;
  }

  private rehash(size: number): void {
    this.table = new Int32Array(size);
    for (let s = 0; s < this.keys.length; s++) this.insert(s);
  }

  /** Slot s's count went up: move it to the bucket of its new count. */
  private raise(s: number): void {
    const c = this.counts[s];
    const b = this.slotBucket[s];
    let nb = this.bucketNext[b];
    // Alone in its bucket, and still below the next one: the bucket's count just changes.
    if (this.bucketFirst[b] === s && this.bucketLast[b] === s && (nb === NIL || this.bucketCount[nb] > c)) {
      this.bucketCount[b] = c;
      return;
    }
    this.unlinkSlot(s, b);
    // With weight 1 the loop runs at most once.
    let after = b;
    while (nb !== NIL && this.bucketCount[nb] < c) {
      after = nb;
      nb = this.bucketNext[nb];
    }
    if (nb !== NIL && this.bucketCount[nb] === c) this.appendSlot(s, nb);
    else this.appendSlot(s, this.newBucket(c, after));
    if (this.bucketFirst[b] === NIL) this.freeBucket(b);
  }

  /** Puts a new slot into the list, searching from bucket `from` (the head) upwards. */
  private place(s: number, from: number): void {
    const c = this.counts[s];
    let after = NIL;
    let nb = from;
    while (nb !== NIL && this.bucketCount[nb] < c) {
      after = nb;
      nb = this.bucketNext[nb];
    }
    if (nb !== NIL && this.bucketCount[nb] === c) this.appendSlot(s, nb);
    else this.appendSlot(s, this.newBucket(c, after));
  }

  /** A new empty bucket of count c right after bucket `after` (NIL: first). */
  private newBucket(c: number, after: number): number {
    let b = this.freeBuckets.pop();
    if (b === undefined) {
      b = this.bucketTop++;
      if (b === this.bucketCount.length) this.growBuckets();
    }
    this.bucketCount[b] = c;
    this.bucketFirst[b] = NIL;
    this.bucketLast[b] = NIL;
    const next = after === NIL ? this.head : this.bucketNext[after];
    this.bucketPrev[b] = after;
    this.bucketNext[b] = next;
    if (after === NIL) this.head = b;
    else this.bucketNext[after] = b;
    if (next !== NIL) this.bucketPrev[next] = b;
    return b;
  }

  private freeBucket(b: number): void {
    const p = this.bucketPrev[b];
    const n = this.bucketNext[b];
    if (p === NIL) this.head = n;
    else this.bucketNext[p] = n;
    if (n !== NIL) this.bucketPrev[n] = p;
    this.freeBuckets.push(b);
  }

  private appendSlot(s: number, b: number): void {
    const last = this.bucketLast[b];
    this.slotBucket[s] = b;
    this.slotPrev[s] = last;
    this.slotNext[s] = NIL;
    if (last === NIL) this.bucketFirst[b] = s;
    else this.slotNext[last] = s;
    this.bucketLast[b] = s;
  }

  private unlinkSlot(s: number, b: number): void {
    const p = this.slotPrev[s];
    const n = this.slotNext[s];
    if (p === NIL) this.bucketFirst[b] = n;
    else this.slotNext[p] = n;
    if (n === NIL) this.bucketLast[b] = p;
    else this.slotPrev[n] = p;
  }

  private growSlots(): void {
    const n = Math.min(this.capacity, this.counts.length * 2);
    this.counts = grown(this.counts, n);
    this.hashes = grown(this.hashes, n);
    this.errors = grown(this.errors, n);
    this.slotBucket = grown(this.slotBucket, n);
    this.slotNext = grown(this.slotNext, n);
    this.slotPrev = grown(this.slotPrev, n);
  }

  private growBuckets(): void {
    const n = Math.min(this.capacity + 1, this.bucketCount.length * 2);
    this.bucketCount = grown(this.bucketCount, n);
    this.bucketFirst = grown(this.bucketFirst, n);
    this.bucketLast = grown(this.bucketLast, n);
    this.bucketNext = grown(this.bucketNext, n);
    this.bucketPrev = grown(this.bucketPrev, n);
  }
}

/** FNV-1a over UTF-16 code units. */
function hashOf(key: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return h;
}

function grown<T extends Float64Array | Int32Array>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}
