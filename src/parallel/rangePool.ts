import { Worker } from 'node:worker_threads';
import type { RegistrySpec } from '../formats/registry.js';
import type { ReadInfo } from '../input/lineReader.js';
import type { InputStats } from '../pipeline/readInputs.js';
import type { KeepSpec, RangeEvents } from './lineEvents.js';
import type { FilterSpec } from './lineFilter.js';

/** A fixed set of worker threads parsing file ranges; jobs queue when all are busy. */
export interface RangeJob {
  index: number;
  name: string;
  path: string;
  start: number;
  /** Exclusive; undefined: to the end of the file as it is when read. */
  end?: number;
  holdPartialLine: boolean;
  detected: { primary: string; fallbacks: string[] };
  registry: RegistrySpec;
  keep: KeepSpec;
  /** Leave out the lines the analysis does not need (see lineFilter.ts); undefined: send every line. */
  filter?: FilterSpec;
  maxLineBytes: number;
  maxExamples: number;
}

export interface RangeResult {
  index: number;
  stats: InputStats;
  info?: ReadInfo;
  events: RangeEvents;
}

type Reply = { ok: true; result: RangeResult } | { ok: false; index: number; error: string };

interface Slot {
  worker: Worker;
  busy?: { resolve: (r: RangeResult) => void; reject: (e: Error) => void };
}

export class RangePool {
  private readonly slots: Slot[];
  private readonly queue: { job: RangeJob; resolve: (r: RangeResult) => void; reject: (e: Error) => void }[] = [];

  constructor(readonly size: number) {
    this.slots = Array.from({ length: size }, () => this.spawn());
  }

  private spawn(): Slot {
    const slot: Slot = { worker: new Worker(new URL('./rangeWorker.js', import.meta.url)) };
    slot.worker.on('message', (reply: Reply) => {
      const busy = slot.busy;
      slot.busy = undefined;
      if (reply.ok) busy?.resolve(reply.result);
      else busy?.reject(new Error(`worker failed on range ${reply.index}: ${reply.error}`));
      this.next(slot);
    });
    slot.worker.on('error', (e) => {
      slot.busy?.reject(e);
      slot.busy = undefined;
    });
    return slot;
  }

  run(job: RangeJob): Promise<RangeResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      const idle = this.slots.find((s) => s.busy === undefined);
      if (idle) this.next(idle);
    });
  }

  private next(slot: Slot): void {
    const item = this.queue.shift();
    if (!item) return;
    slot.busy = { resolve: item.resolve, reject: item.reject };
    slot.worker.postMessage(item.job);
  }

  /** The owner closes the pool when done (idle workers keep the process alive). */
  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
