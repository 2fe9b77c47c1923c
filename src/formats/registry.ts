import { compileApacheFormat, looksLikeApacheFormat } from './apacheFormat.js';
import { apacheErrorFactory, nginxErrorFactory } from './errorLogs.js';
import { compileJsonFieldMap, jsonFactory } from './jsonLines.js';
import { layoutFactory, type Layout } from './layout.js';
import { compileNginxFormat } from './nginxFormat.js';
import type { ParserFactory } from './parser.js';
import { ACCESS_PRESETS } from './presets.js';
import type { Zone } from './zone.js';

/** Every parser a run may use, built once per run from its options. */
export interface FormatRegistry {
  /** Candidates for detection, in tie-break order. */
  all: ParserFactory[];
  byName: Map<string, ParserFactory>;
  /** The access format the user forced with --log-format, if any. */
  forcedAccess?: ParserFactory;
  /** What it was built from, in plain data: a worker thread builds the same registry from it. */
  spec: RegistrySpec;
}

export interface RegistrySpec {
  zone: string;
  logFormat?: string;
  jsonFields: [string, string][];
}

export function presetLayout(name: string): Layout | undefined {
  const p = ACCESS_PRESETS.find((x) => x.name === name);
  if (!p) return undefined;
  const layout = p.syntax === 'nginx' ? compileNginxFormat(p.format, p.name) : compileApacheFormat(p.format, p.name);
  layout.allowTrailing = p.allowTrailing;
  layout.syslogPrefix = p.syslogPrefix;
  return layout;
}

/** --log-format: a preset name, or an nginx or Apache format string. */
export function compileUserFormat(spec: string, zone: Zone): ParserFactory {
  const preset = presetLayout(spec);
  if (preset) return layoutFactory(preset, zone);
  if (!/[$%]/.test(spec)) {
    throw new Error(
      `--log-format: "${spec}" is neither a preset (${ACCESS_PRESETS.map((p) => p.name).join(', ')}) ` +
        `nor a format string such as '$remote_addr - $remote_user [$time_local] "$request" $status ...' (nginx) ` +
        `or '%h %l %u %t "%r" %>s %b' (Apache)`,
    );
  }
  const layout = looksLikeApacheFormat(spec) ? compileApacheFormat(spec, 'custom') : compileNginxFormat(spec, 'custom');
  return layoutFactory(layout, zone);
}

export function buildRegistry(opts: { zone: Zone; logFormat?: string; jsonFields?: ReadonlyMap<string, string> }): FormatRegistry {
  const all: ParserFactory[] = ACCESS_PRESETS.map((p) => layoutFactory(presetLayout(p.name) as Layout, opts.zone, p.format));
  all.push(jsonFactory(compileJsonFieldMap(opts.jsonFields), opts.zone));
  all.push(nginxErrorFactory(opts.zone), apacheErrorFactory(opts.zone));
  const forcedAccess = opts.logFormat !== undefined ? compileUserFormat(opts.logFormat, opts.zone) : undefined;
  const spec: RegistrySpec = { zone: opts.zone.name, logFormat: opts.logFormat, jsonFields: [...(opts.jsonFields ?? new Map<string, string>())] };
  return { all, byName: new Map(all.map((f) => [f.name, f])), forcedAccess, spec };
}
