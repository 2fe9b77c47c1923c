import { open } from 'node:fs/promises';

/**
 * A file's bytes in large chunks, read ahead into two buffers used in turn.
 * A chunk is valid until the caller asks for the next one: it must copy what
 * it keeps. A read stream allocates a fresh buffer per chunk instead; at 1 MiB
 * a chunk, the dead ones waiting for the garbage collector and the allocator's
 * fragments cost a few MB of peak resident memory (2-7 MB on the 5M-line bench
 * log, same-minute runs). While the caller works on one chunk, the next is read.
 * A small file gets buffers of its size (a merge may hold thousands open),
 * enlarged to `size` once a read fills one (the file grew).
 *
 * `start`: the byte to read from (positioned reads); without it, reads go on
 * from where the file is, which is all a named pipe can do.
 * `end`: stop before this byte.
 */
export async function* fileChunks(path: string, size: number, start?: number, end?: number): AsyncGenerator<Buffer, void, undefined> {
  const fh = await open(path, 'r');
  const positioned = start !== undefined;
  /** The byte the next read starts at (counted from 0 when the file is read as a stream). */
  let offset = start ?? 0;
  let turn = 0;
  let ahead: Promise<number> | undefined;
  let bufferSize = size;
  const buffers: (Buffer | undefined)[] = [undefined, undefined];
  // One read at a time: the next starts once the one before has ended, so offset is settled.
  const readInto = async (k: number): Promise<number> => {
    const buf = (buffers[k] ??= Buffer.allocUnsafeSlow(bufferSize));
    const want = end === undefined ? buf.length : Math.min(buf.length, end - offset);
    if (want <= 0) return 0;
    const { bytesRead } = await fh.read(buf, 0, want, positioned ? offset : null);
    offset += bytesRead;
    if (bytesRead === buf.length && buf.length < size) {
      // Fuller than the file was: both buffers are made full size from the next read on.
      bufferSize = size;
      buffers[k ^ 1] = undefined;
    }
    return bytesRead;
  };
  // A read that fails while the caller works on a chunk is reported when it asks for the next one, not as an unhandled rejection.
  const readAhead = (k: number): Promise<number> => {
    const p = readInto(k);
    p.catch(() => undefined);
    return p;
  };
  let regular = false;
  try {
    const st = await fh.stat();
    regular = st.isFile();
    if (regular) bufferSize = Math.max(1, Math.min(size, (end ?? st.size) - offset + 1));
    ahead = readAhead(0);
    for (;;) {
      const n = await ahead;
      ahead = undefined;
      if (n === 0) return;
      const current = buffers[turn] as Buffer;
      // The other buffer is free (the caller is done with its chunk): dropped when smaller than now wanted.
      turn ^= 1;
      if ((buffers[turn]?.length ?? bufferSize) < bufferSize) buffers[turn] = undefined;
      ahead = readAhead(turn);
      yield current.subarray(0, n);
    }
  } finally {
    // A read still running must end before the descriptor is closed under it (its number could be
    // reused by the next file opened). A named pipe's read waits for its writer: the caller is not
    // kept waiting for it; the descriptor is closed when the read ends.
    const close = () => fh.close();
    if (ahead === undefined) await close();
    else if (regular) await ahead.then(close, close);
    else void ahead.then(close, close).catch(() => undefined);
  }
}
