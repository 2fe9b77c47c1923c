import { statSync } from 'node:fs';
import { detectFormat, isIgnorableLine } from '../formats/detect.js';
import type { LineParser } from '../formats/parser.js';
import type { FormatRegistry } from '../formats/registry.js';
import type { InputSource } from '../input/expandInputs.js';
import { readFileHead } from '../state/fileHead.js';
import { EventEncoder, ReplayParser, type KeepSpec, type RangeEvents } from '../parallel/lineEvents.js';
import type { RecordKind } from '../record.js';
import { readInput, type InputStats, type ReadOptions, type RecordSink } from './readInputs.js';

/**
 * Reads several inputs at once and hands their lines to the sink in time
 * order (a k-way merge), so that an analysis can classify while it reads
 * and forget what it has classified, however many logs describe the same
 * minutes. Each input is read by its own readInput into an EventEncoder (the
 * facts the analysis asks of a line, as the parallel path carries them);
 * the merge replays the earliest line of all inputs through a ReplayParser.
 * An input reads ahead at most one chunk beyond the one being merged, so
 * memory is a few chunks per open input, whatever the logs' sizes; an input
 * is opened when the merge reaches the time of its first line, so rotated
 * logs, which follow each other, are open one or two at a time.
 *
 * Lines without a time go out as soon as they are read (the analysis then
 * falls back to reading everything first, as it would for one input).
 */

class MergeAborted extends Error {}

/** One input's side of the merge: its reader fills batches, the merge drains them. */
class InputPort implements RecordSink {
  readonly names: string[] = [];
  readonly formats: { name: string; kind: RecordKind }[] = [];
  /** Made on the first line after each batch: a finished input keeps no arrays (many inputs, little memory). */
  private encoder: EventEncoder | undefined;
  readonly batches: RangeEvents[] = [];
  done = false;
  failure: unknown;
  aborted = false;
  /** The merge waits here for a batch or the end. */
  private wakeMerge: (() => void) | undefined;
  /** The reader waits here until the merge took its batch. */
  private wakeReader: (() => void) | undefined;

  constructor(private readonly keep: KeepSpec) {}

  private newEncoder(): EventEncoder {
    return new EventEncoder(this.keep, this.names, (p: LineParser) => {
      this.formats.push({ name: p.format, kind: p.kind });
      return this.names.push(p.format) - 1;
    });
  }

  accept(parser: LineParser, input: string, line: number): void {
    (this.encoder ??= this.newEncoder()).accept(parser, input, line);
  }

  async afterChunk(): Promise<void> {
    this.publish();
    while (this.batches.length > 0 && !this.aborted) await new Promise<void>((resolve) => { this.wakeReader = resolve; });
    if (this.aborted) throw new MergeAborted();
  }

  /** Hands what was encoded so far to the merge. */
  publish(): void {
    if (this.encoder !== undefined) {
      this.batches.push(this.encoder.finish());
      this.encoder = undefined;
    }
    this.wake();
  }

  finish(failure?: unknown): void {
    if (failure === undefined) this.publish();
    this.failure = failure;
    this.done = true;
    this.wake();
  }

  private wake(): void {
    const w = this.wakeMerge;
    this.wakeMerge = undefined;
    w?.();
  }

  /** The next batch, or undefined once the input is read to its end. */
  async take(): Promise<RangeEvents | undefined> {
    for (;;) {
      const e = this.batches.shift();
      if (e !== undefined) {
        const w = this.wakeReader;
        this.wakeReader = undefined;
        w?.();
        return e;
      }
      if (this.failure !== undefined) throw this.failure;
      if (this.done) return undefined;
      await new Promise<void>((resolve) => { this.wakeMerge = resolve; });
    }
  }

  abort(): void {
    this.aborted = true;
    const w = this.wakeReader;
    this.wakeReader = undefined;
    w?.();
  }
}

interface Cursor {
  name: string;
  port: InputPort;
  replay: ReplayParser;
  e: RangeEvents | undefined;
  i: number;
}

/** The cursor's current time; a line without a time goes first. */
function headTime(c: Cursor): number {
  const t = (c.e as RangeEvents).times[c.i];
  return Number.isNaN(t) ? -Infinity : t;
}

/** Moves the cursor to a line, waiting for its input; false once the input is exhausted. */
async function fill(c: Cursor): Promise<boolean> {
  while (c.e === undefined || c.i >= c.e.count) {
    c.e = await c.port.take();
    c.i = 0;
    if (c.e === undefined) return false;
  }
  return true;
}

/** An input's lines may come this much earlier than its first line (as the streaming analysis allows). */
const MERGE_SLACK_MS = 120000;

/**
 * The time of an input's first line, read from its first 4 KB (decompressed), so that the merge
 * opens it only when the other inputs reach that time: a glob of many rotated logs then has one or
 * two open at once, not all. NaN when it cannot be told (standard input, a named pipe, a resumed
 * read, no line with a time): such an input is opened at once, which is always safe.
 */
export function firstTimeOf(source: InputSource, registry: FormatRegistry): number {
  if (source.path === null || source.resume !== undefined) return NaN;
  try {
    // Only a regular file can be looked at twice: opening a named pipe to peek would end its writer.
    if (!statSync(source.path).isFile()) return NaN;
    const lines = readFileHead(source.path).head.toString('utf8').split('\n');
    // The last piece may be a line cut at the 4 KB boundary.
    if (lines.length > 1) lines.pop();
    const sample = lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
    const d = detectFormat(source.name, sample, registry);
    const parsers = [d.primary, ...d.fallbacks].map((f) => f.create());
    for (const line of sample) {
      if (isIgnorableLine(line)) continue;
      for (const p of parsers) if (p.scan(line)) return p.time();
    }
  } catch {
    // Unreadable or unknown: readInput reports it.
  }
  return NaN;
}

/**
 * Reads the sources together into the sink, in time order; returns each
 * source's stats in the sources' order. `keep` says which responses the
 * sink builds full records of (as for the parallel path). An input whose
 * first time is known is opened once the merge is within MERGE_SLACK_MS of it.
 * `readOne` reads one input into its port: readInput, or the parallel reader
 * (worker threads parse its ranges; the port takes their lines as replayed).
 */
export async function readInputsMerged(
  sources: readonly InputSource[], sink: RecordSink, optsOf: (s: InputSource) => ReadOptions, keep: KeepSpec,
  readOne: (source: InputSource, port: RecordSink, opts: ReadOptions) => Promise<InputStats> = readInput,
): Promise<InputStats[]> {
  const opts = sources.map(optsOf);
  const firsts = sources.map((s, k) => firstTimeOf(s, opts[k].registry));
  // Inputs of unknown first time first (opened at once), then by first time.
  const order = sources.map((_, k) => k).sort((a, b) => (Number.isNaN(firsts[a]) ? -Infinity : firsts[a]) - (Number.isNaN(firsts[b]) ? -Infinity : firsts[b]) || a - b);
  const ports: InputPort[] = [];
  const reads: Promise<InputStats | undefined>[] = [];
  const live: Cursor[] = [];
  let opened = 0;
  const openNext = async () => {
    const k = order[opened++];
    const port = new InputPort(keep);
    ports.push(port);
    reads[k] = readOne(sources[k], port, opts[k]).then(
      (stats) => { port.finish(); return stats; },
      (e: unknown) => { port.finish(e); return undefined; },
    );
    const c: Cursor = { name: sources[k].name, port, replay: new ReplayParser(port.formats), e: undefined, i: 0 };
    if (await fill(c)) live.push(c);
  };
  /** The time the next input is due at (Infinity when all are open). */
  const due = () => (opened < order.length ? (Number.isNaN(firsts[order[opened]]) ? -Infinity : firsts[order[opened]] - MERGE_SLACK_MS) : Infinity);
  try {
    for (;;) {
      while (opened < order.length && (live.length === 0 || due() <= Math.min(...live.map(headTime)))) await openNext();
      if (live.length === 0) break;
      // The earliest input goes on while it stays no later than the next earliest: one comparison a line.
      let min = live[0];
      let next = due();
      for (let k = 1; k < live.length; k++) {
        const t = headTime(live[k]);
        if (t < headTime(min)) {
          next = Math.min(next, headTime(min));
          min = live[k];
        } else {
          next = Math.min(next, t);
        }
      }
      const e = min.e as RangeEvents;
      const replay = min.replay;
      do {
        replay.at(e, min.i, 0);
        sink.accept(replay, min.name, replay.line());
        min.i++;
      } while (min.i < e.count && headTime(min) <= next);
      if (min.i >= e.count) {
        if (sink.afterChunk) await sink.afterChunk();
        if (!(await fill(min))) live.splice(live.indexOf(min), 1);
      }
    }
  } catch (e) {
    for (const p of ports) p.abort();
    await Promise.all(reads.filter(Boolean));
    throw e;
  }
  const stats = await Promise.all(reads);
  for (const p of ports) if (p.failure !== undefined) throw p.failure;
  return stats as InputStats[];
}
