import type { ParserFactory } from './parser.js';
import { ACCESS_PRESETS } from './presets.js';
import type { FormatRegistry } from './registry.js';

/** How many leading lines decide an input's format. */
export const DETECT_SAMPLE_LINES = 64;
/**
 * When the best format explains fewer than half of those (a startup banner, a
 * stack trace, a pasted config before the log proper, perhaps with a stray line
 * of some format in it), detection looks on, four times further each time, up
 * to this many lines or DETECT_MAX_CHARS characters, and then settles.
 */
export const DETECT_MAX_LINES = 4096;
export const DETECT_MAX_CHARS = 8 << 20;

/**
 * detectFormat, or undefined to wait for more lines: nothing fits, or the best
 * format explains fewer than half the sample. `last`: no more lines will come
 * (the input ended, or the limits above are reached); then it settles, or
 * throws UnknownFormatError.
 */
export function settleFormat(input: string, sample: string[], registry: FormatRegistry, last: boolean): Detection | undefined {
  let d: Detection;
  try {
    d = detectFormat(input, sample, registry);
  } catch (e) {
    if (last || !(e instanceof UnknownFormatError)) throw e;
    return undefined;
  }
  return last || d.matched * 2 >= d.sampled ? d : undefined;
}

export interface Detection {
  primary: ParserFactory;
  /** Other formats seen in the sample (mixed files): tried on lines the primary rejects. */
  fallbacks: ParserFactory[];
  matched: number;
  sampled: number;
}

export class UnknownFormatError extends Error {}

export function isIgnorableLine(text: string): boolean {
  if (text.length === 0) return true;
  const c = text.charCodeAt(0);
  // Only a line that starts with white space can be blank: trim nothing else (hot path).
  return c === 35 /* # */ || ((c === 32 || c === 9 || c === 13 || c === 11 || c === 12) && text.trim().length === 0);
}

/**
 * Pick the format that explains most sample lines; ties go to the earlier
 * candidate, which the registry orders from most to least specific. A format
 * forced with --log-format replaces the access presets but not JSON or
 * error-log detection, so mixed runs keep working.
 *
 * Fallbacks are the other formats needed to explain the sample lines the
 * primary rejects (error lines among access lines, common among combined,
 * vhost-prefixed lines among plain ones), chosen greedily by how many of the
 * still unexplained lines each one explains.
 */
export function detectFormat(input: string, sample: string[], registry: FormatRegistry): Detection {
  const candidates = registry.forcedAccess
    ? [registry.forcedAccess, ...registry.all.filter((f) => f.kind !== 'access')]
    : registry.all;
  const lines = sample.filter((l) => !isIgnorableLine(l));
  const scores = candidates.map((factory) => {
    const parser = factory.create();
    const hits = lines.map((l) => parser.scan(l));
    return { factory, hits, count: hits.filter(Boolean).length };
  });
  let best = scores[0];
  for (const s of scores) if (s.count > best.count) best = s;
  if (lines.length > 0 && best.count === 0) {
    if (registry.forcedAccess) return { primary: registry.forcedAccess, fallbacks: [], matched: 0, sampled: lines.length };
    throw new UnknownFormatError(unknownFormatMessage(input, lines[0]));
  }
  const unexplained = new Set<number>();
  best.hits.forEach((hit, i) => { if (!hit) unexplained.add(i); });
  const fallbacks: ParserFactory[] = [];
  let rest = scores.filter((s) => s !== best);
  while (unexplained.size > 0 && rest.length > 0) {
    let pick: (typeof scores)[number] | undefined;
    let pickGain = 0;
    for (const s of rest) {
      let gain = 0;
      for (const i of unexplained) if (s.hits[i]) gain++;
      if (gain > pickGain) { pick = s; pickGain = gain; }
    }
    if (pick === undefined) break;
    fallbacks.push(pick.factory);
    for (const i of [...unexplained]) if (pick.hits[i]) unexplained.delete(i);
    rest = rest.filter((s) => s !== pick);
  }
  return { primary: best.factory, fallbacks, matched: best.count, sampled: lines.length };
}

function unknownFormatMessage(input: string, firstLine: string): string {
  const shown = firstLine.length > 120 ? `${firstLine.slice(0, 120)}...` : firstLine;
  return [
    `${input}: cannot recognise the log format; first line: ${JSON.stringify(shown)}`,
    `  presets: ${ACCESS_PRESETS.map((p) => p.name).join(', ')}, json, nginx_error, apache_error`,
    `  for a custom format pass it as written in your server config, e.g.`,
    `    --log-format '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_id'`,
    `    --log-format '%h %l %u %t \\"%r\\" %>s %b \\"%{Referer}i\\" \\"%{User-Agent}i\\" %D'`,
    ...(firstLine.trimStart().startsWith('{')
      ? [`  for JSON lines whose fields have other names, say where they are, e.g. --json-field status=res.code --json-field time=at`]
      : []),
  ].join('\n');
}
