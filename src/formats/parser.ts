import type { ClientKey } from '../clientKey.js';
import type { LogRecord, RecordKind } from '../record.js';

/**
 * What every format parser offers the pipeline. scan() decides whether a line
 * fits and extracts only the cheap facts (status, time) so the caller can skip
 * lines it does not need; record() builds the full record of the line last
 * scanned. A parser instance belongs to one input and is not shared.
 */
export interface LineParser {
  readonly format: string;
  readonly kind: RecordKind;
  scan(text: string): boolean;
  /** Status of the last scanned line, NaN when it has none. */
  status(): number;
  /** UTC epoch ms of the last scanned line, NaN when unknown. */
  time(): number;
  record(input: string, line: number): LogRecord;
  /**
   * One cheap fact of the last scanned line, without building the record:
   * the correlator follows every client's responses through these.
   */
  peek(fact: PeekFact): string | undefined;
  /**
   * Optional, for the correlator's hot path: pathKey(peek('path')) (FNV-1a over
   * the path's UTF-16 code units, 0 for no path) computed in place, without
   * cutting the path out of the line.
   */
  peekPathKey?(): number;
  /**
   * Optional, for the trackers' hot path: clientKey(peek('ip')) (undefined when there is no
   * client), computed in place, without cutting the address out of the line.
   */
  peekClientKey?(): ClientKey | undefined;
  /**
   * Optional, after peekPathKey(): false when the path holds none of the letters
   * k, f, w (either case), so it cannot name a token or refresh endpoint.
   */
  pathMayBeRefresh?(): boolean;
}

export type PeekFact = 'ip' | 'upstreamAddr' | 'userAgent' | 'path';

export interface ParserFactory {
  readonly name: string;
  readonly kind: RecordKind;
  /** Shown by `logscan formats`. */
  readonly description: string;
  create(): LineParser;
}
