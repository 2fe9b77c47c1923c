import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { describeFsError, type InputSource } from './expandInputs.js';
import { looksBinary, openRaw } from './lineReader.js';

/**
 * The first lines of an input (gzip recognised by its magic bytes, as
 * readLines does), then the input is closed: `logscan formats --test` looks
 * at a few lines of a file that may be many gigabytes long.
 */
export interface Head {
  lines: string[];
  gzip: boolean;
}

export class HeadReadError extends Error {}

function firstChunk(raw: Readable): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const done = (v: Buffer | null, e?: Error) => {
      raw.off('readable', onReadable);
      raw.off('end', onEnd);
      raw.off('error', onError);
      if (e) reject(e);
      else resolve(v);
    };
    const onReadable = () => done(raw.read() as Buffer | null);
    const onEnd = () => done(null);
    const onError = (e: Error) => done(null, e);
    raw.once('readable', onReadable);
    raw.once('end', onEnd);
    raw.once('error', onError);
  });
}

export async function headLines(source: InputSource, maxLines: number, maxBytes = 8 << 20): Promise<Head> {
  const raw = openRaw(source);
  let stream: Readable = raw;
  try {
    const first = await firstChunk(raw);
    if (first === null) return { lines: [], gzip: false };
    const gzip = first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b;
    raw.unshift(first);
    if (gzip) {
      const gunzip = createGunzip();
      raw.pipe(gunzip);
      stream = gunzip;
    }
    const decoder = new StringDecoder('utf8');
    const lines: string[] = [];
    let carry = '';
    let bytes = 0;
    let checked = false;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (!checked) {
        checked = true;
        if (looksBinary(chunk)) throw new HeadReadError(`${source.name}: looks like a binary file, not a text log`);
      }
      bytes += chunk.length;
      const parts = (carry + decoder.write(chunk)).split('\n');
      carry = parts.pop() ?? '';
      for (const p of parts) {
        lines.push(p);
        if (lines.length >= maxLines) break;
      }
      if (lines.length >= maxLines || bytes >= maxBytes) break;
    }
    if (lines.length < maxLines && carry !== '' && bytes < maxBytes) lines.push(carry + decoder.end());
    return {
      gzip,
      lines: lines.map((l, i) => {
        const t = l.endsWith('\r') ? l.slice(0, -1) : l;
        return i === 0 && t.charCodeAt(0) === 0xfeff ? t.slice(1) : t;
      }),
    };
  } catch (e) {
    if (e instanceof HeadReadError) throw e;
    const code = (e as NodeJS.ErrnoException)?.code;
    if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR') throw new HeadReadError(`${source.name}: gzip data is corrupt`);
    throw new HeadReadError(`${source.name}: ${describeFsError(e)}`);
  } finally {
    if (stream !== raw) stream.destroy();
    if (source.path !== null) raw.destroy();
  }
}
