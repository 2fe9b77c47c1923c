import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, statSync, type BigIntStats } from 'node:fs';
import { constants, gunzipSync } from 'node:zlib';

/**
 * What identifies a file across runs: its device and inode, and its first
 * bytes after decompression (so a rotated file that logrotate compressed
 * still matches the plain file it was). Both come from one open descriptor.
 */
export const HEAD_BYTES = 4096;
// Compressed bytes read to get HEAD_BYTES of content: logs compress 5-10x, so this is plenty.
const RAW_BYTES = 64 * 1024;

export interface FileHead {
  dev: string;
  ino: string;
  size: number;
  mtimeMs: number;
  regular: boolean;
  gzip: boolean;
  /** Up to HEAD_BYTES bytes of decompressed content. */
  head: Buffer;
}

export function readFileHead(path: string): FileHead {
  // Opening a named pipe here and closing it would end its writer (SIGPIPE) before the real read.
  const pre = statSync(path, { bigint: true });
  if (!pre.isFile()) {
    return { dev: pre.dev.toString(), ino: pre.ino.toString(), size: 0, mtimeMs: Number(pre.mtimeMs), regular: false, gzip: false, head: Buffer.alloc(0) };
  }
  const fd = openSync(path, 'r');
  try {
    const st: BigIntStats = fstatSync(fd, { bigint: true });
    const regular = st.isFile();
    const raw = Buffer.alloc(regular ? Math.min(RAW_BYTES, Number(st.size)) : 0);
    let got = 0;
    while (got < raw.length) {
      const n = readSync(fd, raw, got, raw.length - got, got);
      if (n === 0) break;
      got += n;
    }
    const bytes = raw.subarray(0, got);
    const gzip = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
    return {
      dev: st.dev.toString(), ino: st.ino.toString(), size: Number(st.size), mtimeMs: Number(st.mtimeMs), regular, gzip,
      head: (gzip ? gunzipHead(bytes) : bytes).subarray(0, HEAD_BYTES),
    };
  } finally {
    closeSync(fd);
  }
}

function gunzipHead(bytes: Buffer): Buffer {
  try {
    // Sync flush: return what the truncated prefix decodes to instead of failing on its missing end.
    return gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH });
  } catch {
    // Corrupt from the start: nothing to match on (the read reports the corruption).
    return Buffer.alloc(0);
  }
}

export function headHash(head: Buffer, bytes: number): string {
  return createHash('sha256').update(head.subarray(0, bytes)).digest('hex');
}
