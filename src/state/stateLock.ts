import { openSync, readFileSync, unlinkSync, writeSync, closeSync } from 'node:fs';
import { StateFileError } from './stateFile.js';

/**
 * One run at a time per state file: an hourly job that overruns would
 * otherwise read the same lines as the next one and both would save their
 * own positions. The lock is FILE.lock holding the owner's pid; a lock
 * whose process is gone (the run was killed) is taken over.
 */
export class StateLock {
  private released = false;
  private readonly onExit = () => this.release();

  private constructor(readonly file: string) {
    process.on('exit', this.onExit);
  }

  static acquire(stateFile: string): StateLock {
    const file = `${stateFile}.lock`;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(file, 'wx', 0o644);
        writeSync(fd, `${process.pid}\n`);
        closeSync(fd);
        return new StateLock(file);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== 'EEXIST') throw new StateFileError(`--state: cannot create the lock "${file}": ${(e as Error).message}`);
      }
      const owner = Number.parseInt(safeRead(file), 10);
      if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
        throw new StateFileError(`--state: another logscan run (pid ${owner}) is using "${stateFile}"; if no such run exists, remove "${file}"`);
      }
      // The run that held it is gone: the lock is stale.
      try { unlinkSync(file); } catch { /* removed by someone else meanwhile */ }
    }
    throw new StateFileError(`--state: cannot take the lock "${file}": another run keeps recreating it`);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    process.off('exit', this.onExit);
    try { unlinkSync(this.file); } catch { /* already gone */ }
  }
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
