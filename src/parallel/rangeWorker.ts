import { parentPort } from 'node:worker_threads';
import { buildRegistry, type FormatRegistry, type RegistrySpec } from '../formats/registry.js';
import { makeZone } from '../formats/zone.js';
import type { ReadInfo } from '../input/lineReader.js';
import { readInput } from '../pipeline/readInputs.js';
import { EventEncoder, transferables } from './lineEvents.js';
import { LineFilter } from './lineFilter.js';
import type { RangeJob, RangeResult } from './rangePool.js';

/**
 * A worker thread: reads one byte range of a file at a time with the same
 * reader and parsers as the main thread, and sends back the line events
 * (see lineEvents.ts) with the range's counts.
 */
const registries = new Map<string, FormatRegistry>();

function registryOf(spec: RegistrySpec): FormatRegistry {
  const key = JSON.stringify(spec);
  let r = registries.get(key);
  if (!r) {
    r = buildRegistry({ zone: makeZone(spec.zone), logFormat: spec.logFormat, jsonFields: new Map(spec.jsonFields) });
    registries.set(key, r);
  }
  return r;
}

async function runJob(job: RangeJob): Promise<RangeResult> {
  const encoder = new EventEncoder(job.keep, [job.detected.primary, ...job.detected.fallbacks], undefined, job.filter && new LineFilter(job.filter));
  let info: ReadInfo | undefined;
  const stats = await readInput(
    { name: job.name, path: job.path, resume: { offset: job.start, lines: 0, gzip: false }, holdPartialLine: job.holdPartialLine },
    encoder,
    {
      registry: registryOf(job.registry), strict: false, maxLineBytes: job.maxLineBytes, maxExamples: job.maxExamples,
      detected: job.detected, end: job.end, checkBinary: job.start === 0, onRead: (i) => { info = i; },
    },
  );
  return { index: job.index, stats, info, events: encoder.finish() };
}

parentPort?.on('message', (job: RangeJob) => {
  runJob(job).then(
    (result) => parentPort?.postMessage({ ok: true, result }, transferables(result.events)),
    (e: unknown) => parentPort?.postMessage({ ok: false, index: job.index, error: (e as Error)?.stack ?? String(e) }),
  );
});
