import { closeSync, createWriteStream, fchmodSync, fsyncSync, openSync, realpathSync, renameSync, statSync, unlinkSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * --out FILE (and --state FILE): the report goes to a temporary file in the same directory,
 * which replaces FILE by rename only when it is complete and synced. A run
 * that fails or is killed leaves the previous FILE as it was; on SIGINT,
 * SIGTERM, SIGHUP or an early exit the temporary file is removed (after
 * SIGKILL it may remain, named .FILE.logscan-PID-RANDOM.tmp).
 */
export class OutFileError extends Error {}

const open = new Set<AtomicFile>();
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let hooked = false;

function onSignal(signal: NodeJS.Signals): void {
  for (const f of open) f.discard();
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  // Die of the same signal, as the caller expects.
  process.kill(process.pid, signal);
}

function hook(): void {
  if (hooked) return;
  hooked = true;
  for (const s of SIGNALS) process.on(s, onSignal);
  process.on('exit', () => { for (const f of open) f.discard(); });
}

function describe(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT': return 'the directory does not exist';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'ENOTDIR': return 'a part of the path is not a directory';
    case 'EISDIR': return 'is a directory';
    case 'ENOSPC': return 'no space left on the device';
    case 'EROFS': return 'read-only file system';
    default: return (e as Error)?.message ?? String(e);
  }
}

export class AtomicFile {
  readonly stream: WriteStream;
  private error: Error | undefined;
  private done = false;

  private constructor(readonly target: string, readonly temp: string, private readonly fd: number, mode: number | undefined, private readonly option: string) {
    if (mode !== undefined) fchmodSync(fd, mode);
    this.stream = createWriteStream(temp, { fd, autoClose: false });
    this.stream.on('error', (e) => { this.error ??= e; });
    open.add(this);
  }

  /** Opens the temporary file now, so an unwritable destination fails before any input is read. */
  static open(file: string, option = '--out'): AtomicFile {
    let target = path.resolve(file);
    let mode: number | undefined;
    try {
      // Replace what a symbolic link points to, not the link.
      target = realpathSync(target);
      const st = statSync(target);
      if (st.isDirectory()) throw new OutFileError(`${option}: "${file}" is a directory`);
      mode = st.mode & 0o7777;
    } catch (e) {
      if (e instanceof OutFileError) throw e;
      // A new file: nothing to preserve.
    }
    const temp = path.join(path.dirname(target), `.${path.basename(target)}.logscan-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
    // Handlers first: a signal that lands right after the file exists must find them.
    hook();
    let fd: number;
    try {
      fd = openSync(temp, 'wx', 0o666);
    } catch (e) {
      throw new OutFileError(`${option}: cannot write "${file}": ${describe(e)}`);
    }
    return new AtomicFile(target, temp, fd, mode, option);
  }

  /** Flushes, syncs and renames over the target. */
  async commit(): Promise<void> {
    if (this.done) return;
    await new Promise<void>((resolve) => {
      this.stream.end(() => resolve());
      this.stream.once('error', () => resolve());
    });
    try {
      if (this.error) throw this.error;
      fsyncSync(this.fd);
      closeSync(this.fd);
      this.done = true;
      renameSync(this.temp, this.target);
      open.delete(this);
    } catch (e) {
      this.discard();
      throw new OutFileError(`${this.option}: cannot write "${this.target}": ${describe(e)}; the previous file is unchanged`);
    }
  }

  /** Removes the temporary file; the target is untouched. Safe to call twice. */
  discard(): void {
    open.delete(this);
    if (!this.done) {
      this.done = true;
      try { closeSync(this.fd); } catch { /* already closed */ }
    }
    try { unlinkSync(this.temp); } catch { /* already gone */ }
  }
}
