import { clientKey } from '../clientKey.js';
import { detach } from '../detach.js';

/**
 * An exact set of client addresses, for counting distinct clients. A
 * canonical dotted-quad IPv4 address (the usual case) is kept as its 32-bit
 * value in an open-addressing table (4 bytes a slot, a quarter to half full);
 * anything else as a copied string. The mapping is one-to-one, so the size is
 * exactly that of a Set of the strings, at a fraction of the memory (no string
 * or map entry per IPv4 client, and no log line kept alive by a sliced string).
 */
export class ClientSet {
  /** Value + 1 of each IPv4 client (0 = empty slot); the value 2^32 - 1 is kept in `hasMax`. */
  private table = new Uint32Array(1024);
  private used = 0;
  private hasMax = false;
  private readonly others = new Set<string>();

  get size(): number {
    return this.used + (this.hasMax ? 1 : 0) + this.others.size;
  }

  add(ip: string): void {
    const k = clientKey(ip);
    if (typeof k === 'string') {
      if (!this.others.has(k)) this.others.add(detach(k));
      return;
    }
    const v = k >>> 0;
    if (v === 0xffffffff) {
      this.hasMax = true;
      return;
    }
    this.insert(v + 1);
  }

  private insert(stored: number): void {
    let t = this.table;
    const mask = t.length - 1;
    let i = Math.imul(stored, 0x9e3779b1) >>> 0 & mask;
    for (;;) {
      const at = t[i];
      if (at === stored) return;
      if (at === 0) break;
      i = (i + 1) & mask;
    }
    t[i] = stored;
    this.used++;
    if (this.used * 2 > t.length) {
      const old = t;
      t = this.table = new Uint32Array(old.length * 2);
      this.used = 0;
      for (const x of old) if (x !== 0) this.insert(x);
    }
  }
}
