import type { Writable } from 'node:stream';

/**
 * Buffers output text and writes it in large pieces, waiting for 'drain'
 * when the reader is slower than the parser, so memory stays bounded.
 */
export class OutputStream {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly out: Writable, private readonly flushAt = 1 << 16) {}

  write(s: string): void {
    this.parts.push(s);
    this.size += s.length;
  }

  async flush(force = false): Promise<void> {
    if (this.size === 0 || (!force && this.size < this.flushAt)) return;
    const text = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!this.out.write(text)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.out.off('drain', done);
          this.out.off('close', done);
          this.out.off('error', done);
          resolve();
        };
        this.out.once('drain', done);
        this.out.once('close', done);
        this.out.once('error', done);
      });
    }
  }
}
