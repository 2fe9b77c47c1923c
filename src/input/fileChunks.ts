import { open } from 'node:fs/promises';

/**
 * A file's bytes in large chunks, read ahead into two buffers used in turn.
 * A chunk is valid until the caller asks for the next one: it must copy what
 * it keeps. A read stream allocates a fresh buffer per chunk instead; at 1 MiB
 * a chunk, the dead ones waiting for the garbage collector and the allocator's
 * fragments cost 20-30 MB of resident memory on a long log, more than every
 * summary logscan keeps. While the caller works on one chunk, the next is read.
 *
 * `start`: the byte to read from (positioned reads); without it, reads go on
 * from where the file is, which is all a named pipe can do.
 * `end`: stop before this byte.
 */
export async function* fileChunks(path: string, size: number, start?: number, end?: number): AsyncGenerator<Buffer, void, undefined> {
  const fh = await open(path, 'r');
  const buffers = [Buffer.allocUnsafeSlow(size), Buffer.allocUnsafeSlow(size)];
  const positioned = start !== undefined;
  /** The byte the next read starts at (counted from 0 when the file is read as a stream). */
  let offset = start ?? 0;
  let turn = 0;
  let ahead: Promise<number> | undefined;
  // One read at a time: the next starts once the one before has ended, so offset is settled.
  const readInto = async (buf: Buffer): Promise<number> => {
    const want = end === undefined ? size : Math.min(size, end - offset);
    if (want <= 0) return 0;
    const { bytesRead } = await fh.read(buf, 0, want, positioned ? offset : null);
    offset += bytesRead;
    return bytesRead;
  };
  // A read that fails while the caller works on a chunk is reported when it asks for the next one, not as an unhandled rejection.
  const readAhead = (buf: Buffer): Promise<number> => {
    const p = readInto(buf);
    p.catch(() => undefined);
    return p;
  };
  try {
    ahead = readAhead(buffers[0]);
    for (;;) {
      const n = await ahead;
      ahead = undefined;
      if (n === 0) return;
      const current = buffers[turn];
      turn ^= 1;
      ahead = readAhead(buffers[turn]);
      yield current.subarray(0, n);
    }
  } finally {
    // A read still running must end before the descriptor is closed under it.
    if (ahead !== undefined) await ahead.catch(() => 0);
    await fh.close();
  }
}
