import type { ParserFactory } from './parser.js';
import { ACCESS_PRESETS } from './presets.js';
import type { FormatRegistry } from './registry.js';

/** How many leading lines decide an input's format. */
export const DETECT_SAMPLE_LINES = 64;

export interface Detection {
  primary: ParserFactory;
  /** Other formats seen in the sample (mixed files): tried on lines the primary rejects. */
  fallbacks: ParserFactory[];
  matched: number;
  sampled: number;
}

export class UnknownFormatError extends Error {}

export function isIgnorableLine(text: string): boolean {
  return text.length === 0 || text.charCodeAt(0) === 35 /* # */ || text.trim().length === 0;
}

/**
 * Pick the format that explains most sample lines; ties go to the earlier
 * candidate, which the registry orders from most to least specific. A format
 * forced with --log-format replaces the access presets but not JSON or
 * error-log detection, so mixed runs keep working.
 */
export function detectFormat(input: string, sample: string[], registry: FormatRegistry): Detection {
  const candidates = registry.forcedAccess
    ? [registry.forcedAccess, ...registry.all.filter((f) => f.kind !== 'access')]
    : registry.all;
  const lines = sample.filter((l) => !isIgnorableLine(l));
  const scores = candidates.map((factory) => {
    const parser = factory.create();
    let hits = 0;
    for (const l of lines) if (parser.scan(l)) hits++;
    return { factory, hits };
  });
  let best = scores[0];
  for (const s of scores) if (s.hits > best.hits) best = s;
  if (lines.length > 0 && best.hits === 0) {
    if (registry.forcedAccess) return { primary: registry.forcedAccess, fallbacks: [], matched: 0, sampled: lines.length };
    throw new UnknownFormatError(unknownFormatMessage(input, lines[0]));
  }
  const fallbacks = scores
    .filter((s) => s !== best && s.hits > 0 && s.factory.kind !== best.factory.kind)
    .sort((a, b) => b.hits - a.hits)
    .map((s) => s.factory);
  return { primary: best.factory, fallbacks, matched: best.hits, sampled: lines.length };
}

function unknownFormatMessage(input: string, firstLine: string): string {
  const shown = firstLine.length > 120 ? `${firstLine.slice(0, 120)}...` : firstLine;
  return [
    `${input}: cannot recognise the log format; first line: ${JSON.stringify(shown)}`,
    `  presets: ${ACCESS_PRESETS.map((p) => p.name).join(', ')}, json, nginx_error, apache_error`,
    `  for a custom format pass it as written in your server config, e.g.`,
    `    --log-format '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_id'`,
    `    --log-format '%h %l %u %t \\"%r\\" %>s %b \\"%{Referer}i\\" \\"%{User-Agent}i\\" %D'`,
  ].join('\n');
}
