import { isAscii } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { fileChunks } from './fileChunks.js';
import type { InputSource } from './expandInputs.js';

/**
 * Reads one input as lines, synchronously handing each to the caller.
 * Chunks are large; each chunk is decoded to a string once and split with
 * indexOf, so there is no per-line Buffer copy. Lines longer than
 * maxLineBytes are dropped and reported, and never held in memory whole.
 * Gzip is recognised by its magic bytes, whatever the file is called.
 */
export interface LineSink {
  line(text: string, lineNo: number): void;
  oversize(lineNo: number): void;
  /** Awaited after every chunk: lets the consumer apply backpressure. */
  afterChunk?(): Promise<void> | void;
}

export interface ReadInfo {
  gzip: boolean;
  lines: number;
  bytesRead: number;
  /** Decompressed offset just after the last line handed out (or skipped as oversize): where a next run resumes. */
  consumed: number;
  /** Lines up to `consumed`. */
  consumedLines: number;
}

export class InputReadError extends Error {
  constructor(message: string, readonly info: ReadInfo) {
    super(message);
  }
}

export class BinaryInputError extends Error {}

const CHUNK = 1 << 20;

export function openRaw(source: InputSource, end?: number): Readable {
  if (source.path === null) return process.stdin;
  // A plain file resumes by seeking; gzip has to be decompressed from its start.
  const start = source.resume && !source.resume.gzip ? source.resume.offset : undefined;
  // Without a start the stream reads on from where it is instead of at positions, which a pipe
  // cannot do (ESPIPE): `logscan analyze <(zcat a.gz)` names one. createReadStream's end is inclusive.
  return createReadStream(source.path, { highWaterMark: CHUNK, start, end: end === undefined ? undefined : end - 1 });
}

/** Share of bytes that no text log contains: C0 controls other than tab, LF, CR, plus DEL. */
export function looksBinary(buf: Buffer): boolean {
  const n = Math.min(buf.length, 8192);
  if (n === 0) return false;
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const c = buf[i];
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 27) || c === 127) bad++;
  }
  return bad / n > 0.05;
}

export async function readLines(
  source: InputSource,
  sink: LineSink,
  opts: {
    maxLineBytes: number;
    onBytes?: (n: number) => void;
    /** Stop before this byte of a plain file: a range of it, read by a worker. */
    end?: number;
    /** Refuse binary-looking content (off for ranges after a file's first). */
    checkBinary?: boolean;
  },
): Promise<ReadInfo> {
  const resume = source.resume;
  const info: ReadInfo = { gzip: false, lines: 0, bytesRead: 0, consumed: 0, consumedLines: 0 };
  const count = (n: number) => { info.bytesRead += n; opts.onBytes?.(n); };
  const chunks = openChunks(source, opts.end);
  let first: IteratorResult<Buffer>;
  try {
    first = await chunks.next();
    // A pipe may hand over a first write of one byte: the gzip mark is two.
    while (!first.done && first.value.length < 2) {
      const more = await chunks.next();
      if (more.done) break;
      first = { done: false, value: Buffer.concat([first.value, more.value]) };
    }
  } catch (e) {
    throw new InputReadError(readErrorMessage(source, e, info, 0), info);
  }
  let stream: AsyncIterable<Buffer>;
  /** Feeds gunzip; destroyed when reading stops early, which closes the file. */
  let compressed: Readable | undefined;
  if (!first.done && first.value.length >= 2 && first.value[0] === 0x1f && first.value[1] === 0x8b) {
    info.gzip = true;
    // zlib's default 16 KiB output chunks cost more than the inflating itself (2M lines: 30,000
    // chunks, each a promise, an ASCII check and a carried line); 256 KiB ones make 1,900 (1 MiB ones: no faster, 15 MB more).
    const gunzip = createGunzip({ chunkSize: CHUNK / 4 });
    compressed = Readable.from(copies(first.value, chunks, count), { objectMode: false });
    compressed.on('error', (e) => gunzip.destroy(e));
    compressed.pipe(gunzip);
    stream = gunzip;
  } else {
    stream = prepend(first.done ? null : first.value, chunks, count);
  }

  let carry: Buffer | null = null;
  let skipping = false;
  let lineNo = resume?.lines ?? 0;
  // Decompressed offset of the next chunk's first byte.
  let base = resume && !resume.gzip ? resume.offset : 0;
  let toSkip = resume?.gzip ? resume.offset : 0;
  info.consumed = base;
  info.consumedLines = lineNo;
  let checkedBinary = opts.checkBinary === false;
  const atFileStart = base === 0 && toSkip === 0;
  const max = opts.maxLineBytes;

  const emit = (text: string) => {
    lineNo++;
    let t = text.charCodeAt(text.length - 1) === 13 ? text.slice(0, -1) : text;
    // A byte order mark (files saved by Windows editors) is not part of the first line.
    if (lineNo === 1 && atFileStart && t.charCodeAt(0) === 0xfeff) t = t.slice(1);
    if (t.length > max) sink.oversize(lineNo);
    else sink.line(t, lineNo);
  };

  try {
    for await (const whole of stream) {
      let chunk = whole;
      if (toSkip > 0) {
        const n = Math.min(toSkip, chunk.length);
        toSkip -= n;
        base += n;
        info.consumed = base;
        if (n === chunk.length) continue;
        chunk = chunk.subarray(n);
      }
      if (!checkedBinary) {
        checkedBinary = true;
        if (looksBinary(chunk)) throw new BinaryInputError(`${source.name}: looks like a binary file, not a text log; skipped`);
      }
      let start = 0;
      if (skipping) {
        const nl = chunk.indexOf(10);
        if (nl < 0) {
          base += chunk.length;
          continue;
        }
        skipping = false;
        start = nl + 1;
      } else if (carry !== null) {
        const nl = chunk.indexOf(10);
        if (nl < 0) {
          base += chunk.length;
          if (carry.length + chunk.length > max) {
            lineNo++;
            sink.oversize(lineNo);
            carry = null;
            skipping = true;
          } else {
            carry = Buffer.concat([carry, chunk]);
          }
          continue;
        }
        const whole = Buffer.concat([carry, chunk.subarray(0, nl)]);
        carry = null;
        if (whole.length > max) {
          lineNo++;
          sink.oversize(lineNo);
        } else {
          emit(whole.toString('utf8'));
        }
        start = nl + 1;
      }
      // Each line is decoded on its own rather than sliced from one decoded
      // chunk: a slice would keep the whole chunk alive for as long as any
      // field of a kept record lives (V8 sliced strings share their parent).
      // Pure ASCII (most access logs) decodes the same as latin1, which is much faster.
      const encoding = isAscii(chunk) ? 'latin1' : 'utf8';
      for (let nl = chunk.indexOf(10, start); nl >= 0; nl = chunk.indexOf(10, start)) {
        if (nl - start > max) {
          lineNo++;
          sink.oversize(lineNo);
        } else {
          emit(chunk.toString(encoding, start, nl));
        }
        start = nl + 1;
      }
      if (start > 0) {
        info.consumed = base + start;
        info.consumedLines = lineNo;
      }
      base += chunk.length;
      if (start < chunk.length) {
        if (chunk.length - start > max) {
          lineNo++;
          sink.oversize(lineNo);
          skipping = true;
        } else {
          carry = Buffer.from(chunk.subarray(start));
        }
      }
      if (sink.afterChunk) await sink.afterChunk();
    }
  } catch (e) {
    info.lines = lineNo;
    // Errors thrown by the sink (strict mode, unknown format) are not I/O faults.
    if (e instanceof BinaryInputError || (e as NodeJS.ErrnoException)?.code === undefined) throw e;
    throw new InputReadError(readErrorMessage(source, e, info, lineNo), info);
  } finally {
    compressed?.destroy();
  }
  // A last line without its newline is still being written when the caller says so: the next run reads it whole.
  if (!source.holdPartialLine) {
    if (carry !== null && carry.length > 0) emit(carry.toString('utf8'));
    info.consumed = base;
    info.consumedLines = lineNo;
  }
  info.lines = lineNo;
  return info;
}

function readErrorMessage(source: InputSource, e: unknown, info: ReadInfo, lineNo: number): string {
  const code = (e as NodeJS.ErrnoException).code;
  const where = `after ${info.bytesRead} bytes read, ${lineNo} lines`;
  if (info.gzip && (code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR' || code === 'ERR_STREAM_PREMATURE_CLOSE')) {
    return `${source.name}: gzip data is ${code === 'Z_DATA_ERROR' ? 'corrupt' : 'truncated'} (${where}); the lines before it are in the report`;
  }
  if (code === 'EACCES' || code === 'EPERM') return `${source.name}: permission denied`;
  if (code === 'ENOENT') return `${source.name}: no such file or directory`;
  if (code === 'EISDIR') return `${source.name}: is a directory`;
  return `${source.name}: read failed (${where}): ${(e as Error).message}`;
}

/**
 * The input's bytes: a file through two reused buffers (fileChunks), standard input as it comes.
 * A plain file resumes by seeking; gzip has to be decompressed from its start.
 */
function openChunks(source: InputSource, end?: number): AsyncIterator<Buffer> {
  if (source.path === null) return (process.stdin as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const start = source.resume && !source.resume.gzip ? source.resume.offset : undefined;
  return fileChunks(source.path, CHUNK, start, end);
}

/** gunzip may hold a chunk while it works, and fileChunks reuses its buffers: gunzip gets copies. */
async function* copies(first: Buffer, rest: AsyncIterator<Buffer>, count: (n: number) => void): AsyncGenerator<Buffer> {
  for await (const c of prepend(first, rest, count)) yield Buffer.from(c);
}

/** first, then the rest; stopping early closes the rest (the file), even while first is out. */
async function* prepend(first: Buffer | null, rest: AsyncIterator<Buffer>, count: (n: number) => void): AsyncGenerator<Buffer> {
  try {
    if (first) {
      count(first.length);
      yield first;
    }
    for (;;) {
      const r = await rest.next();
      if (r.done) return;
      count(r.value.length);
      yield r.value;
    }
  } finally {
    await rest.return?.();
  }
}
