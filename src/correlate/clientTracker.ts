import type { LineParser } from '../formats/parser.js';

/**
 * Remembers each client's responses so that the sequence patterns (handshake,
 * token refresh, sticky sessions) can be read in time order at the end,
 * whatever order the inputs were read in (rotated logs are often listed
 * newest first).
 * - Every client: its last RECENT responses, in two generations of at most
 *   maxClients/2 clients each (an approximate LRU with no per-line deletes).
 * - A client with a matching response: from then on every response, up to
 *   MAX_HISTORY, seeded with its recent ones.
 * Memory: O(maxClients x RECENT + watched clients x MAX_HISTORY).
 */
export interface Seen {
  time: number;
  status: number;
  path?: string;
  upstreamAddr?: string;
}

const RECENT = 3;
const MAX_HISTORY = 256;

export class ClientTracker {
  private current = new Map<string, Seen[]>();
  private previous = new Map<string, Seen[]>();
  private readonly histories = new Map<string, Seen[]>();
  private readonly sorted = new Set<string>();

  constructor(private readonly maxClients = 100000) {}

  /** Every response line. */
  observe(ip: string | undefined, time: number, status: number, parser: LineParser): void {
    if (ip === undefined || Number.isNaN(time)) return;
    const seen: Seen = { time, status, path: parser.peek('path'), upstreamAddr: parser.peek('upstreamAddr') };
    const history = this.histories.get(ip);
    if (history !== undefined) {
      if (history.length < MAX_HISTORY) history.push(seen);
      return;
    }
    let ring = this.current.get(ip);
    if (ring === undefined) {
      ring = this.previous.get(ip) ?? [];
      if (this.current.size >= this.maxClients / 2) {
        this.previous = this.current;
        this.current = new Map();
      }
      this.current.set(ip, ring);
    }
    ring.push(seen);
    if (ring.length > RECENT) ring.shift();
  }

  /** A client with a matching response: keep its whole history from now on. */
  watch(ip: string | undefined): void {
    if (ip === undefined || this.histories.has(ip)) return;
    const ring = this.current.get(ip) ?? this.previous.get(ip) ?? [];
    this.histories.set(ip, [...ring]);
  }

  /** The client's responses in time order (empty for an unwatched client). */
  timeline(ip: string | undefined): readonly Seen[] {
    if (ip === undefined) return [];
    const h = this.histories.get(ip);
    if (h === undefined) return [];
    if (!this.sorted.has(ip)) {
      h.sort((a, b) => a.time - b.time);
      this.sorted.add(ip);
    }
    return h;
  }
}
