import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateAnalyzeArgs } from '../src/cli/options.js';
import { runAnalyze } from '../src/cli/runAnalyze.js';

/**
 * Property: whatever mix of writes (whole lines, lines cut mid-way) and
 * rotations (rename, copytruncate, rename + compress) happens between
 * cron runs with --state, each line written is counted by exactly one run.
 * Out of reach, and documented: a file rotated twice before logscan looks
 * again, and a file that was empty at the last run rotated by copying or
 * compressing (an empty file leaves no first bytes to recognise the copy
 * by); such files rotate by rename here.
 */
type Rotation = 'rename' | 'copytruncate' | 'compress';
interface Step {
  writes: { lines: number; cutLast: boolean }[];
  rotation?: Rotation;
  after: number;
}

const stepArb: fc.Arbitrary<Step> = fc.record({
  writes: fc.array(fc.record({ lines: fc.integer({ min: 0, max: 6 }), cutLast: fc.boolean() }), { maxLength: 3 }),
  rotation: fc.option(fc.constantFrom<Rotation>('rename', 'copytruncate', 'compress'), { nil: undefined }),
  after: fc.integer({ min: 0, max: 4 }),
});

function line(n: number): string {
  const s = String(n % 60).padStart(2, '0');
  const m = String(Math.floor(n / 60) % 60).padStart(2, '0');
  return `198.51.100.${n % 250} - - [12/Mar/2026:10:${m}:${s} +0000] "GET /item/${n} HTTP/1.1" 401 5 "-" "k6/0.50"\n`;
}

class Writer {
  next = 0;
  /** Text of a line cut mid-way, still to be finished. */
  private rest = '';
  constructor(private readonly log: string) {}

  write(lines: number, cutLast: boolean): void {
    let text = this.rest;
    this.rest = '';
    for (let i = 0; i < lines; i++) text += line(this.next++);
    if (cutLast && lines > 0) {
      const full = line(this.next++);
      const cut = 10 + (this.next % 30);
      text += full.slice(0, cut);
      this.rest = full.slice(cut);
    }
    appendFileSync(this.log, text);
  }

  /** logrotate never cuts a line: a line being written is finished first. */
  finishLine(): void {
    if (this.rest) appendFileSync(this.log, this.rest);
    this.rest = '';
  }
}

function rotate(log: string, how: Rotation): void {
  for (const old of [`${log}.1`, `${log}.1.gz`]) if (existsSync(old)) unlinkSync(old);
  if (how === 'copytruncate') {
    copyFileSync(log, `${log}.1`);
    truncateSync(log, 0);
  } else if (how === 'rename') {
    renameSync(log, `${log}.1`);
    writeFileSync(log, '');
  } else {
    writeFileSync(`${log}.1.gz`, gzipSync(readFileSync(log)));
    unlinkSync(log);
    writeFileSync(log, '');
  }
}

async function runOnce(log: string, state: string): Promise<number[]> {
  let out = '';
  const stdout = new Writable({ write(c, _e, cb) { out += String(c); cb(); } });
  const stderr = new Writable({ write(_c, _e, cb) { cb(); } });
  const code = await runAnalyze(
    validateAnalyzeArgs({ inputs: [log], state, events: true, output: 'ndjson', rawPaths: true, tz: 'UTC', progress: false }),
    { stdout, stderr },
  );
  expect(code).toBe(0);
  return out.split('\n').filter(Boolean).map((l) => Number(/\/item\/(\d+)/.exec((JSON.parse(l) as { path: string }).path)?.[1]));
}

describe('--state over random writes and rotations', () => {
  it('counts every complete line exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 6 }), async (steps) => {
        const dir = mkdtempSync(path.join(tmpdir(), 'logscan-stateprop-'));
        try {
          const log = path.join(dir, 'access.log');
          const state = path.join(dir, 'state.json');
          writeFileSync(log, '');
          const writer = new Writer(log);
          // The first run starts the state: lines rotated away before it are not the state's to find.
          const counted: number[] = await runOnce(log, state);
          let emptyAtLastRun = true;
          for (const step of steps) {
            for (const w of step.writes) writer.write(w.lines, w.cutLast);
            if (step.rotation) {
              writer.finishLine();
              rotate(log, emptyAtLastRun ? 'rename' : step.rotation);
            }
            writer.write(step.after, false);
            counted.push(...await runOnce(log, state));
            emptyAtLastRun = !readFileSync(log, 'latin1').includes('\n');
          }
          writer.finishLine();
          counted.push(...await runOnce(log, state));
          expect(counted.sort((a, b) => a - b)).toEqual(Array.from({ length: writer.next }, (_, i) => i));
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: Number(process.env.STATE_RUNS ?? 60) },
    );
  }, 120_000);
});
